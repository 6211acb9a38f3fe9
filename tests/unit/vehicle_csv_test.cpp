#include <catch2/catch.hpp>

#include <cmath>
#include <cstdio>
#include <bit>
#include <limits>
#include <stdexcept>
#include <string>
#include <random>
#include <sstream>

#include "daemon/detect/csv_numbers.hpp"
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

namespace {

std::string fixed2(double x) {
  char buf[csv::max_fixed2_bytes];
  return {buf, csv::put_fixed2(buf, x)};
}

std::string printf_fixed2(double x) {
  char buf[512];
  std::snprintf(buf, sizeof buf, "%.2f", x);
  return buf;
}

}  // namespace

TEST_CASE("two-decimal numbers are the characters of %.2f over the whole range rows can carry", "[detect]") {
  std::mt19937_64 rng(11);
  std::vector<double> values{0.0,    -0.0,  0.004,   0.005,  -0.004, -0.005, 0.125,  0.375,  1.005,
                             2.675,  4.625, 99.995,  999.995, 9999.995, 99999.995, 999999.995,
                             1e6,    1e7,   999999.999, 1e8, 1e8 - 0.005, 1.5e8, 1e15, 1e20, 1e300,
                             std::numeric_limits<double>::max(), std::numeric_limits<double>::min(),
                             std::numeric_limits<double>::denorm_min(), std::numeric_limits<double>::infinity(),
                             -std::numeric_limits<double>::infinity(), std::numeric_limits<double>::quiet_NaN()};
  // Speeds and lengths (0..1000), wider magnitudes, both signs.
  std::uniform_real_distribution<double> row_range(0.0, 1000.0);
  std::uniform_real_distribution<double> exponent(-12.0, 9.0);
  for (int i = 0; i < 200000; ++i) values.push_back(row_range(rng));
  for (int i = 0; i < 100000; ++i) values.push_back(-std::pow(10.0, exponent(rng)));
  for (int i = 0; i < 100000; ++i) values.push_back(std::pow(10.0, exponent(rng)));
  // Near ties: the nearest doubles to k/1000 and k/200 (exact halves of a
  // hundredth), and their neighbours one and two ulps away.
  std::uniform_int_distribution<std::int64_t> thousandths(0, 100'000'000);
  for (int i = 0; i < 100000; ++i) {
    const double tie = static_cast<double>(thousandths(rng) * 5 + 5) / 1000;  // x.xx5
    values.push_back(tie);
    values.push_back(std::nextafter(tie, 0.0));
    values.push_back(std::nextafter(tie, 1e300));
    values.push_back(std::nextafter(std::nextafter(tie, 1e300), 1e300));
    values.push_back(-tie);
  }
  for (int k = 0; k < 20000; ++k) values.push_back(k / 200.0);
  // Every bit pattern is a double: random ones cover exponents nothing above picks.
  for (int i = 0; i < 100000; ++i) values.push_back(std::bit_cast<double>(rng()));
  for (double x : values) {
    INFO(std::hexfloat << x);
    REQUIRE(fixed2(x) == printf_fixed2(x));
  }
}

TEST_CASE("the CSV writer writes the rows append_vehicle_row makes, across many buffer flushes", "[detect]") {
  Site site = test::two_loop_site_with_radar();
  site.traps.push_back(site.traps.front());
  site.traps.back().id = "a_trap_with_a_rather_long_identifier_beyond_32_bytes";
  site.traps.back().reverse = "";  // one-way: an empty direction name
  std::mt19937_64 rng(13);
  std::uniform_real_distribution<double> value(0.0, 300.0);
  std::ostringstream out;
  std::string expected = std::string(vehicle_csv_header) + "\n";
  {
    VehicleCsvWriter writer(out, site);
    for (int i = 0; i < 50000; ++i) {  // about 2.5 MB: the writer's buffer fills many times
      Vehicle v;
      v.t_ns = static_cast<std::int64_t>(rng() >> (rng() % 8));
      v.detector = static_cast<std::uint16_t>(rng() % site.detector_count());
      v.direction = rng() % 2 ? Direction::reverse : Direction::forward;
      if (rng() % 4) v.speed_kmh = value(rng);
      if (rng() % 3) v.length_m = value(rng) / 10;
      v.vehicle_class = static_cast<VehicleClass>(rng() % 6);
      for (int f = 0; f < flag_count; ++f)
        if (rng() % 5 == 0) v.flags.set(static_cast<Flag>(f));
      writer.write(v);
      append_vehicle_row(expected, site, v);
      expected += '\n';
    }
  }  // the destructor flushes the rest
  CHECK(out.str() == expected);
}

TEST_CASE("the CSV writer refuses a vehicle of a detector the site does not have", "[detect]") {
  const Site site = test::two_loop_site();
  std::ostringstream out;
  VehicleCsvWriter writer(out, site);
  Vehicle v;
  v.detector = static_cast<std::uint16_t>(site.detector_count());
  CHECK_THROWS_AS(writer.write(v), std::out_of_range);
  CHECK_THROWS_AS(format_vehicle_row(site, v), std::out_of_range);
}
