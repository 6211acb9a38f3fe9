#include <catch2/catch.hpp>

#include <sstream>

#include "daemon/detect/vehicle_csv.hpp"
#include "pass_builder.hpp"

using namespace roadspeed;

TEST_CASE("a vehicle row follows the interface's columns and two-decimal rounding", "[detect]") {
  const Site site = test::two_loop_site();
  Vehicle v;
  v.t_ns = 1764158400000000000;
  v.speed_kmh = 34.166666;
  v.length_m = 4.625;  // exactly representable: %.2f rounds the tie to even
  v.vehicle_class = VehicleClass::car;
  CHECK(format_vehicle_row(site, v) == "1764158400000000000,t1,northbound,34.17,4.62,car,");
}

TEST_CASE("a vehicle without speed has empty fields and its flags joined by semicolons", "[detect]") {
  const Site site = test::two_loop_site();
  Vehicle v;
  v.t_ns = 5;
  v.direction = Direction::reverse;
  v.flags.set(Flag::overlap);
  v.flags.set(Flag::tailgate);
  CHECK(format_vehicle_row(site, v) == "5,t1,southbound,,,unclassified,tailgate;overlap");
}

TEST_CASE("the writer starts with the interface's header line", "[detect]") {
  std::ostringstream out;
  VehicleCsvWriter w(out, test::two_loop_site());
  CHECK(out.str() == "time_ns,detector,direction,speed_kmh,length_m,class,flags\n");
}
