// Accumulating bins, coverage and (for --free-flow) vehicles into groups,
// then turning each group's counts into the published figures.
#include "daemon/stats/traffic_stats.hpp"

#include <algorithm>
#include <map>
#include <stdexcept>

#include "daemon/stats/period_groups.hpp"

namespace roadspeed::stats {
namespace {

constexpr std::int64_t bin_ms = store::bin_length_s * 1000;
constexpr int quarters_per_day = 96;
constexpr int quarters_per_hour = 4;

struct DayAcc {
  int quarters = 0;  // of this day inside the period
  std::int64_t expected_ms = 0;
  std::int64_t usable_ms = 0;
  std::uint64_t volume = 0;
  std::array<std::uint64_t, quarters_per_day> by_quarter{};
};

struct GroupAcc {
  std::int64_t expected_ms = 0;
  std::int64_t usable_ms = 0;
  store::BinCounts all, cars, bikes;           // cars: on road detectors; bikes: two-wheelers on bike paths
  store::BinCounts ff_all, ff_cars;            // free-flowing vehicles' speeds
  std::array<std::uint64_t, 6> classes{};
  std::map<std::int64_t, DayAcc> days;
};

struct Context {
  const store::SiteInfo& site;
  const StatsQuery& q;
  LocalClock clock;
  PeriodGroups groups;
  std::vector<GroupAcc> acc;
  std::map<std::string, store::SpeedLimits> limits;  // per detector id
  std::vector<std::string> detectors;                // selected
};

bool class_wanted(const StatsQuery& q, VehicleClass c) { return !q.vehicle_class || *q.vehicle_class == c; }

const QuarterPlace* place_of(const Context& cx, std::int64_t t_s) {
  if (t_s < cx.q.from_s || t_s >= cx.q.to_s) return nullptr;
  return &cx.groups.quarters[static_cast<std::size_t>((t_s - cx.q.from_s) / store::bin_length_s)];
}

void add_bins(Context& cx, store::StoreReader& reader, const store::Selection& sel) {
  reader.for_each_bin(sel, [&](const store::BinRow& b) {
    if (cx.q.direction && b.direction != *cx.q.direction) return;
    const QuarterPlace* p = place_of(cx, b.bin_start_s);
    if (!p) return;
    GroupAcc& g = cx.acc[p->group];
    if (b.vehicle_class == VehicleClass::car && b.kind == DetectorKind::road) g.cars.merge(b.counts);
    if (b.vehicle_class == VehicleClass::two_wheeler && b.kind == DetectorKind::bike_path) g.bikes.merge(b.counts);
    if (!class_wanted(cx.q, b.vehicle_class)) return;
    g.all.merge(b.counts);
    g.classes[static_cast<std::size_t>(b.vehicle_class)] += b.counts.vehicles;
    if (!cx.groups.whole_day_groups) return;
    DayAcc& d = g.days[p->day];
    d.volume += b.counts.vehicles;
    d.by_quarter[static_cast<std::size_t>(p->minute_of_day / 15)] += b.counts.vehicles;
  });
}

// Without a class filter, groups that keep UTC hours read the class-free
// rollup: the same sums as add_bins, from a fifth of the rows.
void add_hour_totals(Context& cx, store::StoreReader& reader, const store::Selection& sel) {
  reader.for_each_hour_total(sel, [&](const store::HourTotalRow& h) {
    if (cx.q.direction && h.direction != *cx.q.direction) return;
    const QuarterPlace* p = place_of(cx, h.hour_start_s);
    if (!p) return;
    GroupAcc& g = cx.acc[p->group];
    const store::HourTotals& t = h.totals;
    // The cars' speed-index figures only, which is all that is read of them.
    if (h.kind == DetectorKind::road) g.cars.merge(t.cars);
    if (h.kind == DetectorKind::bike_path) g.bikes.over_limit += t.two_wheeler_over_limit;
    g.all.merge(t.all);
    for (std::size_t c = 0; c < g.classes.size(); ++c) g.classes[c] += t.class_vehicles[c];
  });
}

void add_coverage(Context& cx, store::StoreReader& reader, const store::Selection& sel) {
  // Expected: every selected detector, every quarter of the period.
  const auto n_detectors = static_cast<std::int64_t>(cx.detectors.size());
  for (const QuarterPlace& p : cx.groups.quarters) {
    cx.acc[p.group].expected_ms += bin_ms * n_detectors;
    if (!cx.groups.whole_day_groups) continue;
    DayAcc& d = cx.acc[p.group].days[p.day];
    ++d.quarters;
    d.expected_ms += bin_ms * n_detectors;
  }
  reader.for_each_coverage(sel, [&](const store::CoverageRow& c) {
    const QuarterPlace* p = place_of(cx, c.bin_start_s);
    if (!p || std::find(cx.detectors.begin(), cx.detectors.end(), c.detector_id) == cx.detectors.end()) return;
    const std::int64_t usable_ms = c.usable_ms;
    cx.acc[p->group].usable_ms += usable_ms;
    if (cx.groups.whole_day_groups) cx.acc[p->group].days[p->day].usable_ms += usable_ms;
  });
}

void add_free_flow(Context& cx, store::StoreReader& reader, const store::Selection& sel) {
  for (const store::StoredVehicle& v : reader.vehicles(sel)) {
    if (cx.q.direction && v.direction != *cx.q.direction) continue;
    if (!v.speed_kmh || !v.headway_ms || *v.headway_ms < free_flow_headway_ms) continue;
    const QuarterPlace* p = place_of(cx, store::bin_start_s(v.t_ns));
    if (!p) continue;
    GroupAcc& g = cx.acc[p->group];
    const store::SpeedLimits& limits = cx.limits.at(v.detector_id);
    if (v.vehicle_class == VehicleClass::car && v.kind == DetectorKind::road) g.ff_cars.add_speed(*v.speed_kmh, limits);
    if (class_wanted(cx.q, v.vehicle_class)) g.ff_all.add_speed(*v.speed_kmh, limits);
  }
}

// ADT, 16- and 12-hour totals and peak hours over the whole days of a
// group whose uptime reaches 90 %.
void finish_days(const Context& cx, const GroupAcc& g, GroupStats& out) {
  std::vector<const DayAcc*> good;
  for (const auto& [day, d] : g.days) {
    const std::int64_t day_quarters = (cx.clock.day_start_s(day + 1) - cx.clock.day_start_s(day)) / store::bin_length_s;
    if (d.quarters != day_quarters) continue;  // not a whole day of the period
    ++out.days;
    if (d.expected_ms > 0 && double(d.usable_ms) >= adt_min_uptime * double(d.expected_ms)) good.push_back(&d);
  }
  out.adt_days = static_cast<int>(good.size());
  if (good.empty()) return;
  const double n = double(good.size());
  double total = 0, t16 = 0, t12 = 0;
  std::array<double, quarters_per_day> mean_quarter{};
  for (const DayAcc* d : good) {
    total += double(d->volume);
    for (int i = 0; i < quarters_per_day; ++i) {
      const double v = double(d->by_quarter[std::size_t(i)]);
      mean_quarter[std::size_t(i)] += v / n;
      if (i >= 6 * quarters_per_hour && i < 22 * quarters_per_hour) t16 += v;
      if (i >= 7 * quarters_per_hour && i < 19 * quarters_per_hour) t12 += v;
    }
  }
  out.adt = total / n;
  out.total_16h = t16 / n;
  out.total_12h = t12 / n;
  const auto busiest = [&](int first, int last) {
    Peak best{first * 15, -1};
    for (int s = first; s <= last; ++s) {
      double v = 0;
      for (int i = s; i < s + quarters_per_hour; ++i) v += mean_quarter[std::size_t(i)];
      if (v > best.vehicles) best = {s * 15, v};
    }
    return best;
  };
  out.am_peak = busiest(0, 11 * quarters_per_hour);
  out.pm_peak = busiest(12 * quarters_per_hour, 23 * quarters_per_hour);
}

SpeedIndex speed_index(const store::BinCounts& cars) {
  SpeedIndex s;
  s.cars = cars.with_speed;
  s.mean_kmh = mean_interval(cars.with_speed, cars.sum_kmh, cars.sum_sq_kmh2);
  s.within_limit = wilson_interval(cars.with_speed - cars.over_limit, cars.with_speed);
  s.within_limit_5 = wilson_interval(cars.with_speed - cars.over_limit_5, cars.with_speed);
  s.over_limit_30 = wilson_interval(cars.over_limit_30, cars.with_speed);
  return s;
}

void finish_speeds(const Context& cx, const store::BinCounts& c, GroupStats& out) {
  out.speeds = c;
  out.mean_kmh = mean_kmh(c);
  out.sd_kmh = sd_kmh(c);
  out.v15_kmh = histogram_percentile(c, 15);
  out.v50_kmh = histogram_percentile(c, 50);
  out.v85_kmh = histogram_percentile(c, 85);
  out.v95_kmh = histogram_percentile(c, 95);
  out.max_kmh = c.max_kmh;
  out.pace = pace(c);
  const auto share = [&](std::uint64_t k) -> std::optional<double> {
    if (c.with_speed == 0) return std::nullopt;
    return double(k) / double(c.with_speed);
  };
  out.thresholds.push_back({"limit", cx.site.speed_limit_kmh, c.over_limit, share(c.over_limit)});
  for (std::size_t i = 0; i < cx.site.thresholds.size(); ++i) {
    const Threshold& t = cx.site.thresholds[i];
    const std::uint64_t over = i < c.over_thresholds.size() ? c.over_thresholds[i] : 0;
    out.thresholds.push_back({t.name, cx.site.speed_limit_kmh * t.scale + t.offset_kmh, over, share(over)});
  }
}

GroupStats finish_group(const Context& cx, std::size_t i) {
  const GroupAcc& g = cx.acc[i];
  GroupStats out;
  out.label = cx.groups.labels[i];
  out.hours = double(g.expected_ms) / 3.6e6 / double(std::max<std::size_t>(1, cx.detectors.size()));
  out.uptime = g.expected_ms > 0 ? double(g.usable_ms) / double(g.expected_ms) : 0;
  out.volume = g.all.vehicles;
  out.class_counts = g.classes;
  if (out.volume > 0) {
    out.headway_lt1_share = double(g.all.headway_lt1) / double(out.volume);
    out.headway_lt2_share = double(g.all.headway_lt2) / double(out.volume);
  }
  if (cx.groups.whole_day_groups) finish_days(cx, g, out);
  finish_speeds(cx, cx.q.free_flow ? g.ff_all : g.all, out);
  if (class_wanted(cx.q, VehicleClass::car)) out.index = speed_index(cx.q.free_flow ? g.ff_cars : g.cars);
  const bool any_bike_path = std::any_of(cx.site.detectors.begin(), cx.site.detectors.end(), [&](const auto& d) {
    return d.kind == DetectorKind::bike_path &&
           std::find(cx.detectors.begin(), cx.detectors.end(), d.id) != cx.detectors.end();
  });
  if (any_bike_path && class_wanted(cx.q, VehicleClass::two_wheeler)) {
    out.bike_violations = g.bikes.over_limit;
    if (out.hours > 0) out.bike_violations_per_hour = double(g.bikes.over_limit) / out.hours;
  }
  return out;
}

}  // namespace

std::string resolve_site(store::StoreReader& reader, const std::string& wanted) {
  if (!wanted.empty()) return wanted;
  const auto ids = reader.site_ids();
  if (ids.size() != 1)
    throw std::invalid_argument(ids.empty() ? "the database holds no site" : "the database holds several sites: name one with --site");
  return ids.front();
}

namespace {

void select_detectors(Context& cx) {
  for (const store::DetectorInfo& d : cx.site.detectors) {
    store::SpeedLimits l;
    l.limit_kmh = d.kind == DetectorKind::bike_path ? cx.site.bike_path_limit_kmh : cx.site.speed_limit_kmh;
    for (const Threshold& t : cx.site.thresholds) l.thresholds_kmh.push_back(cx.site.speed_limit_kmh * t.scale + t.offset_kmh);
    cx.limits[d.id] = l;
    if (!cx.q.detector_id || *cx.q.detector_id == d.id) cx.detectors.push_back(d.id);
  }
  if (cx.detectors.empty()) throw std::invalid_argument("--detector: no detector '" + *cx.q.detector_id + "' at site " + cx.site.id);
  if (!cx.q.direction) return;
  for (const store::DetectorInfo& d : cx.site.detectors)
    if (std::find(cx.detectors.begin(), cx.detectors.end(), d.id) != cx.detectors.end() &&
        (d.forward == *cx.q.direction || d.reverse == *cx.q.direction))
      return;
  throw std::invalid_argument("--direction: no direction '" + *cx.q.direction + "' on the selected detectors");
}

}  // namespace

StatsResult compute_stats(store::StoreReader& reader, StatsQuery query) {
  query.site_id = resolve_site(reader, query.site_id);
  if (query.from_s % store::bin_length_s != 0 || query.to_s % store::bin_length_s != 0)
    throw std::invalid_argument("--from and --to must fall on quarter hours (bins are 15 minutes)");
  if (query.to_s <= query.from_s) throw std::invalid_argument("--to must be after --from");
  StatsResult result{reader.site(query.site_id), query, {}};
  Context cx{result.site, result.query, LocalClock(result.site.timezone), {}, {}, {}, {}};
  select_detectors(cx);
  cx.groups = make_period_groups(cx.clock, query.from_s, query.to_s, query.group_by);
  cx.acc.resize(cx.groups.labels.size());
  // The class filter is applied here, so that the speed index (cars) and
  // bike-path violations (two-wheelers) can be told apart from it.
  store::Selection sel{query.site_id, query.detector_id, std::nullopt, query.from_s * 1'000'000'000,
                       query.to_s * 1'000'000'000};
  sel.whole_hours = groups_keep_utc_hours(cx.groups, query.from_s, query.to_s);
  if (sel.whole_hours && !query.vehicle_class) add_hour_totals(cx, reader, sel);
  else add_bins(cx, reader, sel);
  add_coverage(cx, reader, sel);
  sel.whole_hours = false;  // vehicles have no rollup
  if (query.free_flow) add_free_flow(cx, reader, sel);
  for (std::size_t i = 0; i < cx.acc.size(); ++i) result.groups.push_back(finish_group(cx, i));
  return result;
}

}  // namespace roadspeed::stats
