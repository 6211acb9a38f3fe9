#include <catch2/catch.hpp>

#include <sstream>
#include <string>
#include <vector>

#include "daemon/stats/summary.hpp"

namespace roadspeed {
namespace {

Site two_detector_site() {
  Site site;
  site.id = "test-site";
  site.name = "Test road";
  site.speed_limit_kmh = 30;
  site.bike_path_limit_kmh = 25;
  Trap road;
  road.id = "t1";
  road.forward = "northbound";
  road.reverse = "söderut";
  site.traps.push_back(road);
  Trap bike;
  bike.id = "b1";
  bike.forward = "east";
  bike.kind = DetectorKind::bike_path;
  site.traps.push_back(bike);
  Radar radar;
  radar.id = "r1";
  radar.forward = "northbound";
  site.radars.push_back(radar);
  return site;
}

Vehicle vehicle(std::uint16_t detector, Direction dir, std::optional<double> speed_kmh,
                VehicleClass c = VehicleClass::car) {
  Vehicle v;
  v.detector = detector;
  v.direction = dir;
  v.speed_kmh = speed_kmh;
  v.vehicle_class = c;
  return v;
}

const SummaryRow& row_for(const std::vector<SummaryRow>& rows, std::uint16_t detector,
                          Direction dir) {
  for (const auto& r : rows)
    if (r.detector == detector && r.direction == dir) return r;
  FAIL("no row for detector " << detector);
  return rows.front();
}

}  // namespace

TEST_CASE("every direction the site defines gets a row, in detector order, even without vehicles",
          "[stats]") {
  const auto rows = summarize(two_detector_site(), {});
  REQUIRE(rows.size() == 4);  // t1 both ways, b1 forward, r1 forward
  CHECK(rows[0].detector == 0);
  CHECK(rows[0].direction == Direction::forward);
  CHECK(rows[1].detector == 0);
  CHECK(rows[1].direction == Direction::reverse);
  CHECK(rows[2].detector == 1);
  CHECK(rows[3].detector == 2);
  for (const auto& r : rows) {
    CHECK(r.vehicles == 0);
    CHECK_FALSE(r.mean_speed_kmh);
    CHECK_FALSE(r.v85_kmh);
    CHECK_FALSE(r.over_limit_share);
  }
}

TEST_CASE("count, mean, V85, max and share over the limit come from the vehicles with a speed",
          "[stats]") {
  std::vector<Vehicle> vehicles;
  for (int s = 21; s <= 40; ++s)  // 20 speeds, 21..40 km/h
    vehicles.push_back(vehicle(0, Direction::forward, double(s)));
  vehicles.push_back(vehicle(0, Direction::forward, std::nullopt, VehicleClass::unclassified));
  vehicles.push_back(vehicle(0, Direction::reverse, 50.0, VehicleClass::truck));

  const auto rows = summarize(two_detector_site(), vehicles);
  const auto& fwd = row_for(rows, 0, Direction::forward);
  CHECK(fwd.vehicles == 21);
  CHECK(fwd.vehicles_with_speed == 20);
  CHECK(*fwd.mean_speed_kmh == Approx(30.5));
  CHECK(*fwd.v85_kmh == 37.0);  // rank ceil(0.85 × 20) = 17
  CHECK(*fwd.max_speed_kmh == 40.0);
  CHECK(fwd.limit_kmh == 30.0);
  CHECK(*fwd.over_limit_share == Approx(10.0 / 20.0));  // 31..40; exactly 30 is not over
  CHECK(fwd.class_counts[static_cast<std::size_t>(VehicleClass::car)] == 20);
  CHECK(fwd.class_counts[static_cast<std::size_t>(VehicleClass::unclassified)] == 1);

  const auto& rev = row_for(rows, 0, Direction::reverse);
  CHECK(rev.vehicles == 1);
  CHECK(*rev.v85_kmh == 50.0);
  CHECK(*rev.over_limit_share == 1.0);
  CHECK(rev.class_counts[static_cast<std::size_t>(VehicleClass::truck)] == 1);
}

TEST_CASE("a bike-path detector is judged against the bike-path limit", "[stats]") {
  const auto rows = summarize(two_detector_site(),
                              {vehicle(1, Direction::forward, 24.0, VehicleClass::two_wheeler),
                               vehicle(1, Direction::forward, 28.0, VehicleClass::two_wheeler)});
  const auto& bike = row_for(rows, 1, Direction::forward);
  CHECK(bike.limit_kmh == 25.0);
  CHECK(*bike.over_limit_share == 0.5);
}

TEST_CASE("radar vehicles are counted under the detector index after the traps", "[stats]") {
  const auto rows = summarize(two_detector_site(), {vehicle(2, Direction::forward, 33.0)});
  CHECK(row_for(rows, 2, Direction::forward).vehicles == 1);
  CHECK(row_for(rows, 0, Direction::forward).vehicles == 0);
}

TEST_CASE("a vehicle on a detector the site lacks is an error", "[stats]") {
  CHECK_THROWS_AS(summarize(two_detector_site(), {vehicle(3, Direction::forward, 30.0)}),
                  std::out_of_range);
}

TEST_CASE("nearest-rank percentiles are values of the data, never interpolated", "[stats]") {
  std::vector<double> v{5, 1, 4, 2, 3};
  CHECK(*nearest_rank_percentile(v, 50) == 3);   // rank ceil(2.5) = 3
  CHECK(*nearest_rank_percentile(v, 85) == 5);   // rank ceil(4.25) = 5
  CHECK(*nearest_rank_percentile(v, 20) == 1);   // rank exactly 1
  CHECK(*nearest_rank_percentile(v, 100) == 5);
  std::vector<double> hundred;
  for (int i = 1; i <= 100; ++i) hundred.push_back(i);
  CHECK(*nearest_rank_percentile(hundred, 7) == 7);
  CHECK(*nearest_rank_percentile(hundred, 95) == 95);
  std::vector<double> none;
  CHECK_FALSE(nearest_rank_percentile(none, 85));
}

TEST_CASE("the printed summary is an aligned table with units in the heads", "[stats]") {
  const Site site = two_detector_site();
  const auto rows = summarize(site, {vehicle(0, Direction::forward, 34.17),
                                     vehicle(0, Direction::reverse, 28.0)});
  std::ostringstream out;
  print_summary(out, site, rows);
  const std::string text = out.str();
  CHECK_THAT(text, Catch::Contains("speed limit 30.0 km/h"));
  CHECK_THAT(text, Catch::Contains("mean km/h"));
  CHECK_THAT(text, Catch::Contains("V85 km/h"));
  CHECK_THAT(text, Catch::Contains("over limit %"));
  CHECK_THAT(text, Catch::Contains("34.2"));
  CHECK_THAT(text, Catch::Contains("söderut"));

  // Every table line starts its `vehicles` column at the same display column.
  std::istringstream lines(text);
  std::string line;
  std::getline(lines, line);  // title
  std::getline(lines, line);  // heads
  const auto heads_end = line.find("vehicles") + std::string("vehicles").size();
  int table_rows = 0;
  while (std::getline(lines, line) && (line.rfind("t1", 0) == 0 || line.rfind("b1", 0) == 0 ||
                                       line.rfind("r1", 0) == 0)) {
    std::size_t chars = 0, byte = 0;  // count code points up to the column end
    while (byte < line.size() && chars < heads_end)
      if ((static_cast<unsigned char>(line[byte++]) & 0xC0) != 0x80) ++chars;
    INFO(line);
    CHECK((line[byte - 1] >= '0' && line[byte - 1] <= '9'));   // counts are right-aligned
    CHECK(line[byte] == ' ');
    ++table_rows;
  }
  CHECK(table_rows == 4);
}

}  // namespace roadspeed
