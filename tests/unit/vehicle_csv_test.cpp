#include <catch2/catch.hpp>

#include <cstdio>
#include <limits>
#include <string>
#include <random>
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

TEST_CASE("the writer starts with the interface's header line and writes every row on flush", "[detect]") {
  const Site site = test::two_loop_site();
  std::ostringstream out;
  VehicleCsvWriter w(out, site);
  Vehicle v;
  v.t_ns = 7;
  w.write(v);
  w.flush();
  CHECK(out.str() == "time_ns,detector,direction,speed_kmh,length_m,class,flags\n7,t1,northbound,,,unclassified,\n");
}

TEST_CASE("fast two-decimal formatting agrees with %.2f on random and awkward values", "[detect]") {
  const Site site = test::two_loop_site();
  std::mt19937_64 rng(3);
  std::uniform_real_distribution<double> any(0.0, 300.0);
  std::vector<double> values{0.0, 0.004, 0.005, 0.015, 1.005, 2.675, 34.165, 99.995, 4.625, 249.999999};
  for (int i = 0; i < 20000; ++i) values.push_back(any(rng));
  for (int i = 0; i < 2000; ++i) values.push_back(std::round(any(rng) * 1000) / 1000);  // many near-ties
  for (double x : values) {
    Vehicle v;
    v.speed_kmh = x;
    char expected[64];
    std::snprintf(expected, sizeof expected, "0,t1,northbound,%.2f,,unclassified,", x);
    REQUIRE(format_vehicle_row(site, v) == expected);
  }
}

TEST_CASE("row times are written in full at every digit count, the 19-digit fast path included", "[detect]") {
  const Site site = test::two_loop_site();
  std::mt19937_64 rng(5);
  std::vector<std::int64_t> times{0,
                                  -1,
                                  999'999'999'999'999'999,
                                  1'000'000'000'000'000'000,
                                  1'000'000'000'000'000'001,
                                  1'764'158'400'000'000'000,
                                  1'764'158'400'099'000'009,
                                  std::numeric_limits<std::int64_t>::max(),
                                  std::numeric_limits<std::int64_t>::min()};
  for (int i = 0; i < 20000; ++i) times.push_back(static_cast<std::int64_t>(rng() >> (rng() % 64)));
  for (std::int64_t t : times) {
    Vehicle v;
    v.t_ns = t;
    REQUIRE(format_vehicle_row(site, v) == std::to_string(t) + ",t1,northbound,,,unclassified,");
  }
}
