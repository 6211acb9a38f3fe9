// The statistics against an independent computation over the per-vehicle
// rows, on a simulated week with known distributions.
#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <map>

#include "daemon/stats/local_time.hpp"
#include "daemon/stats/percentile.hpp"
#include "daemon/stats/traffic_stats.hpp"
#include "daemon/store/store.hpp"
#include "store_test_support.hpp"

namespace roadspeed::stats {
namespace {

const LocalClock stockholm("Europe/Stockholm");
const std::int64_t week_from_s = stockholm.parse_epoch_s("2025-11-24");  // Monday
const std::int64_t week_to_s = week_from_s + 7 * 86400;
// Wednesday 06:00 to 12:00 local: the street trap is stuck, sees nothing.
const std::int64_t fault_from_s = week_from_s + 2 * 86400 + 6 * 3600;
const std::int64_t fault_to_s = fault_from_s + 6 * 3600;
constexpr std::int64_t ns = 1'000'000'000;

struct Week {
  std::filesystem::path db;
  std::vector<Vehicle> street;  // detector 0, as stored
  std::vector<Vehicle> bike;    // detector 1
};

const Week& simulated_week() {
  static const Week week = [] {
    Week w;
    w.db = test::scratch_dir("stats-week") / "db.sqlite";
    for (const Vehicle& v : test::simulated_vehicles(21, week_from_s * ns, 60'000, 10.0))
      if (v.t_ns < week_to_s * ns && (v.t_ns < fault_from_s * ns || v.t_ns >= fault_to_s * ns)) w.street.push_back(v);
    for (const Vehicle& v : test::simulated_vehicles(22, week_from_s * ns, 3000, 240.0, 22, 6, 1))
      if (v.t_ns < week_to_s * ns) w.bike.push_back(v);
    store::Store s(w.db, test::store_test_site(), week_from_s * ns);
    store::Batch b;
    b.vehicles = w.street;
    b.observed.push_back({week_from_s * ns, week_to_s * ns});
    b.faults.push_back({0, fault_from_s * ns, fault_to_s * ns, "stuck loop"});
    s.commit(b);
    b = {};
    b.vehicles = w.bike;
    s.commit(b);
    return w;
  }();
  return week;
}

StatsResult run(GroupBy by, std::optional<std::string> detector = "t1", bool free_flow = false) {
  store::StoreReader reader(simulated_week().db);
  StatsQuery q;
  q.detector_id = std::move(detector);
  q.from_s = week_from_s;
  q.to_s = week_to_s;
  q.group_by = by;
  q.free_flow = free_flow;
  return compute_stats(reader, q);
}

TEST_CASE("daily volume, mean, V85 and counts over the limit agree with the per-vehicle rows", "[stats]") {
  const StatsResult r = run(GroupBy::day);
  REQUIRE(r.groups.size() == 7);
  std::map<std::int64_t, std::vector<const Vehicle*>> by_day;
  for (const Vehicle& v : simulated_week().street) by_day[stockholm.at(v.t_ns / ns).day].push_back(&v);
  REQUIRE(by_day.size() == 7);
  std::size_t i = 0;
  for (const auto& [day, vehicles] : by_day) {
    const GroupStats& g = r.groups[i++];
    INFO(g.label);
    CHECK(g.label == LocalClock::iso_date(day));
    CHECK(g.volume == vehicles.size());
    std::vector<double> speeds;
    std::uint64_t over = 0;
    for (const Vehicle* v : vehicles)
      if (v->speed_kmh) {
        speeds.push_back(*v->speed_kmh);
        over += *v->speed_kmh > 30;
      }
    double sum = 0;
    for (double s : speeds) sum += s;
    CHECK(*g.mean_kmh == Approx(sum / double(speeds.size())).epsilon(1e-12));
    CHECK(std::abs(*g.v85_kmh - *nearest_rank_percentile(speeds, 85)) <= 0.5);
    CHECK(std::abs(*g.v15_kmh - *nearest_rank_percentile(speeds, 15)) <= 0.5);
    CHECK(*g.max_kmh == *std::max_element(speeds.begin(), speeds.end()));
    CHECK(g.thresholds.at(0).over == over);
  }
}

TEST_CASE("hour groups, read from the hourly rollup, agree with the per-vehicle rows", "[stats]") {
  const StatsResult r = run(GroupBy::hour);
  REQUIRE(r.groups.size() == 7 * 24);
  std::map<std::int64_t, std::vector<double>> speeds;  // by hour since the week's start
  std::map<std::int64_t, std::uint64_t> volume;
  for (const Vehicle& v : simulated_week().street) {
    const std::int64_t h = (v.t_ns / ns - week_from_s) / 3600;
    ++volume[h];
    if (v.speed_kmh) speeds[h].push_back(*v.speed_kmh);
  }
  for (std::int64_t h = 0; h < 7 * 24; ++h) {
    const GroupStats& g = r.groups[std::size_t(h)];
    INFO(g.label);
    CHECK(g.volume == volume[h]);
    std::vector<double>& s = speeds[h];
    if (s.empty()) continue;
    double sum = 0;
    for (double x : s) sum += x;
    CHECK(*g.mean_kmh == Approx(sum / double(s.size())).epsilon(1e-12));
    CHECK(*g.max_kmh == *std::max_element(s.begin(), s.end()));
    if (s.size() >= 100) CHECK(std::abs(*g.v85_kmh - *nearest_rank_percentile(s, 85)) <= 0.5);
    CHECK(g.thresholds.at(0).over == std::uint64_t(std::count_if(s.begin(), s.end(), [](double x) { return x > 30; })));
  }
}

TEST_CASE("uptime shows the faulty hours and ADT counts only days with 90 % uptime", "[stats]") {
  const StatsResult days = run(GroupBy::day);
  CHECK(days.groups[0].uptime == Approx(1.0));
  CHECK(days.groups[2].uptime == Approx(0.75));  // six of 24 hours stuck
  CHECK(days.groups[2].adt_days == 0);
  CHECK(days.groups[3].adt_days == 1);

  const StatsResult week = run(GroupBy::period);
  REQUIRE(week.groups.size() == 1);
  const GroupStats& g = week.groups[0];
  CHECK(g.days == 7);
  CHECK(g.adt_days == 6);
  double six_days = 0;
  for (std::size_t d = 0; d < 7; ++d)
    if (d != 2) six_days += double(days.groups[d].volume);
  CHECK(*g.adt == Approx(six_days / 6));
  CHECK(g.uptime == Approx(1 - 6.0 / (7 * 24)));
  CHECK(*g.total_16h < *g.adt);
  CHECK(*g.total_12h < *g.total_16h);
  REQUIRE(g.am_peak);
  CHECK(g.am_peak->start_minute < 12 * 60);
  CHECK(g.pm_peak->start_minute >= 12 * 60);
}

TEST_CASE("the Swedish speed index counts cars only and its shares agree with the vehicles", "[stats]") {
  const GroupStats g = run(GroupBy::period).groups.at(0);
  std::uint64_t cars = 0, within = 0, within5 = 0, over30 = 0;
  for (const Vehicle& v : simulated_week().street) {
    if (v.vehicle_class != VehicleClass::car || !v.speed_kmh) continue;
    ++cars;
    within += *v.speed_kmh <= 30;
    within5 += *v.speed_kmh <= 35;
    over30 += *v.speed_kmh > 60;
  }
  CHECK(g.index.cars == cars);
  CHECK(g.index.within_limit->estimate == Approx(double(within) / double(cars)));
  CHECK(g.index.within_limit_5->estimate == Approx(double(within5) / double(cars)));
  CHECK(g.index.over_limit_30->estimate == Approx(double(over30) / double(cars)));
  CHECK(g.index.within_limit->low < g.index.within_limit->estimate);
  CHECK(g.index.mean_kmh->high - g.index.mean_kmh->low < 0.5);  // tens of thousands of cars
}

TEST_CASE("free-flow speed figures use only vehicles with at least 4 s headway", "[stats]") {
  std::map<Direction, std::int64_t> last;
  std::vector<double> free_flowing;
  for (const Vehicle& v : simulated_week().street) {
    const auto it = last.find(v.direction);
    if (it != last.end() && v.t_ns - it->second >= 4 * ns && v.speed_kmh) free_flowing.push_back(*v.speed_kmh);
    last[v.direction] = v.t_ns;
  }
  const GroupStats all = run(GroupBy::period).groups.at(0);
  const GroupStats ff = run(GroupBy::period, "t1", true).groups.at(0);
  CHECK(ff.volume == all.volume);
  CHECK(ff.speeds.with_speed == free_flowing.size());
  CHECK(ff.speeds.with_speed < all.speeds.with_speed);
  CHECK(std::abs(*ff.v85_kmh - *nearest_rank_percentile(free_flowing, 85)) <= 0.5);
}

TEST_CASE("bike-path violations count two-wheelers over the bike-path limit", "[stats]") {
  std::uint64_t violations = 0;
  for (const Vehicle& v : simulated_week().bike)
    violations += v.vehicle_class == VehicleClass::two_wheeler && v.speed_kmh && *v.speed_kmh > 25;
  const GroupStats g = run(GroupBy::period, std::nullopt).groups.at(0);
  REQUIRE(g.bike_violations);
  CHECK(*g.bike_violations == violations);
  CHECK(violations > 0);
  CHECK(*g.bike_violations_per_hour == Approx(double(violations) / (7 * 24)));
  CHECK_FALSE(run(GroupBy::period).groups.at(0).bike_violations);  // t1 is no bike path
}

TEST_CASE("hour-of-week groups add up to the week and class shares include the unclassified", "[stats]") {
  const StatsResult how = run(GroupBy::hour_of_week);
  REQUIRE(how.groups.size() == 168);
  std::uint64_t total = 0;
  for (const GroupStats& g : how.groups) total += g.volume;
  CHECK(total == simulated_week().street.size());
  const GroupStats week = run(GroupBy::period).groups.at(0);
  std::uint64_t unclassified = 0;
  for (const Vehicle& v : simulated_week().street) unclassified += v.vehicle_class == VehicleClass::unclassified;
  CHECK(week.class_counts[std::size_t(VehicleClass::unclassified)] == unclassified);
}

// Hour-of-week groups of both detectors from the per-vehicle rows: what
// the class-free rollup must give, class shares, speed index and bike-path
// violations included.
struct HourOfWeek {
  std::uint64_t volume = 0, with_speed = 0, over_limit = 0, over_enforcement = 0, headway_lt2 = 0;
  std::array<std::uint64_t, 6> classes{};
  std::vector<std::uint64_t> histogram = std::vector<std::uint64_t>(store::histogram_top_kmh + 1, 0);
  double sum_kmh = 0, max_kmh = 0;
  std::uint64_t cars = 0, cars_within_limit = 0, bike_violations = 0;
};

std::vector<HourOfWeek> hour_of_week_from_vehicles(std::optional<VehicleClass> only) {
  std::vector<HourOfWeek> groups(168);
  const auto add = [&](const std::vector<Vehicle>& vehicles, bool bike_path) {
    std::map<Direction, std::int64_t> last;
    for (const Vehicle& v : vehicles) {
      const auto previous = last.find(v.direction);
      const bool close = previous != last.end() && v.t_ns - previous->second < 2 * ns;
      last[v.direction] = v.t_ns;
      const LocalFields f = stockholm.at(v.t_ns / ns);
      HourOfWeek& g = groups.at(f.weekday * 24 + unsigned(f.minute_of_day / 60));
      const double limit = bike_path ? 25 : 30;
      if (v.speed_kmh && !bike_path && v.vehicle_class == VehicleClass::car) {
        ++g.cars;
        g.cars_within_limit += *v.speed_kmh <= limit;
      }
      if (v.speed_kmh && bike_path && v.vehicle_class == VehicleClass::two_wheeler) g.bike_violations += *v.speed_kmh > limit;
      if (only && v.vehicle_class != *only) continue;
      ++g.volume;
      ++g.classes[std::size_t(v.vehicle_class)];
      g.headway_lt2 += close;
      if (!v.speed_kmh) continue;
      ++g.with_speed;
      g.sum_kmh += *v.speed_kmh;
      g.max_kmh = std::max(g.max_kmh, *v.speed_kmh);
      ++g.histogram[std::size_t(std::floor(*v.speed_kmh))];
      g.over_limit += *v.speed_kmh > limit;
      g.over_enforcement += *v.speed_kmh > 30 * 1.10 + 3.2;
    }
  };
  add(simulated_week().street, false);
  add(simulated_week().bike, true);
  return groups;
}

TEST_CASE("hour-of-week figures of both detectors, read from the class-free rollup, agree with the vehicles",
          "[stats]") {
  const StatsResult r = run(GroupBy::hour_of_week, std::nullopt);
  REQUIRE(r.groups.size() == 168);
  const std::vector<HourOfWeek> expected = hour_of_week_from_vehicles(std::nullopt);
  std::uint64_t violations = 0;
  for (std::size_t i = 0; i < 168; ++i) {
    const GroupStats& g = r.groups[i];
    const HourOfWeek& e = expected[i];
    INFO(g.label);
    CHECK(g.volume == e.volume);
    CHECK(g.class_counts == e.classes);
    CHECK(g.speeds.with_speed == e.with_speed);
    std::vector<std::uint64_t> histogram = g.speeds.histogram;
    histogram.resize(e.histogram.size(), 0);
    CHECK(histogram == e.histogram);
    CHECK(g.speeds.sum_kmh == Approx(e.sum_kmh).epsilon(1e-12));
    CHECK(g.max_kmh.value_or(0) == e.max_kmh);
    CHECK(g.thresholds.at(0).over == e.over_limit);  // each detector's own limit
    CHECK(g.thresholds.at(1).over == e.over_enforcement);
    CHECK(*g.headway_lt2_share == Approx(double(e.headway_lt2) / double(e.volume)));
    CHECK(g.index.cars == e.cars);
    if (e.cars > 0) CHECK(g.index.within_limit->estimate == Approx(double(e.cars_within_limit) / double(e.cars)));
    else CHECK_FALSE(g.index.within_limit);  // the stuck loop's hours
    REQUIRE(g.bike_violations);
    CHECK(*g.bike_violations == e.bike_violations);
    violations += e.bike_violations;
  }
  CHECK(violations > 0);
}

TEST_CASE("hour-of-week figures of one class, read from the per-class rollup, agree with the vehicles", "[stats]") {
  store::StoreReader reader(simulated_week().db);
  StatsQuery q;
  q.from_s = week_from_s;
  q.to_s = week_to_s;
  q.group_by = GroupBy::hour_of_week;
  q.vehicle_class = VehicleClass::van;
  const StatsResult r = compute_stats(reader, q);
  REQUIRE(r.groups.size() == 168);
  const std::vector<HourOfWeek> expected = hour_of_week_from_vehicles(VehicleClass::van);
  for (std::size_t i = 0; i < 168; ++i) {
    const GroupStats& g = r.groups[i];
    INFO(g.label);
    CHECK(g.volume == expected[i].volume);
    CHECK(g.class_counts == expected[i].classes);
    CHECK(g.speeds.with_speed == expected[i].with_speed);
    CHECK(g.thresholds.at(0).over == expected[i].over_limit);
    CHECK_FALSE(g.bike_violations);  // no two-wheelers asked for
  }
}

TEST_CASE("queries that do not fit the database are clear errors", "[stats]") {
  store::StoreReader reader(simulated_week().db);
  StatsQuery q;
  q.from_s = week_from_s;
  q.to_s = week_to_s;
  q.detector_id = "t9";
  CHECK_THROWS_WITH(compute_stats(reader, q), Catch::Contains("no detector 't9'"));
  q.detector_id.reset();
  q.direction = "west";
  CHECK_THROWS_WITH(compute_stats(reader, q), Catch::Contains("no direction 'west'"));
  q.direction.reset();
  q.from_s += 60;
  CHECK_THROWS_WITH(compute_stats(reader, q), Catch::Contains("quarter hours"));
}

}  // namespace
}  // namespace roadspeed::stats
