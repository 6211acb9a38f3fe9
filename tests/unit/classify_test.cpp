#include <catch2/catch.hpp>

#include "daemon/detect/classify.hpp"

using namespace roadspeed;

TEST_CASE("lengths are classed by the site's upper bounds, a bound belonging to the shorter class", "[detect]") {
  LengthClasses c;
  CHECK(classify_length(1.9, c) == VehicleClass::two_wheeler);
  CHECK(classify_length(2.5, c) == VehicleClass::two_wheeler);
  CHECK(classify_length(2.51, c) == VehicleClass::car);
  CHECK(classify_length(5.6, c) == VehicleClass::car);
  CHECK(classify_length(6.5, c) == VehicleClass::van);
  CHECK(classify_length(10.0, c) == VehicleClass::truck);
  CHECK(classify_length(16.5, c) == VehicleClass::articulated);
}

TEST_CASE("a vehicle without a trustworthy length is unclassified", "[detect]") {
  CHECK(classify_length(std::optional<double>{}, LengthClasses{}) == VehicleClass::unclassified);
}

TEST_CASE("site thresholds move the class boundaries", "[detect]") {
  LengthClasses c;
  c.car_max_m = 5.0;
  CHECK(classify_length(5.3, c) == VehicleClass::van);
}

TEST_CASE("class and flag names round-trip through their strings", "[detect]") {
  for (int i = 0; i < 6; ++i) {
    auto c = static_cast<VehicleClass>(i);
    CHECK(vehicle_class_from_string(to_string(c)) == c);
  }
  for (int i = 0; i < flag_count; ++i) {
    auto f = static_cast<Flag>(i);
    CHECK(flag_from_string(to_string(f)) == f);
  }
  CHECK_FALSE(vehicle_class_from_string("bus"));
}
