// Measuring a period again: its old vehicles and bins out, the new ones in,
// in one transaction, so that no bin is ever half old and half new.
#include <algorithm>
#include <set>
#include <stdexcept>

#include "daemon/store/hour_rollup.hpp"
#include "daemon/store/store.hpp"

namespace roadspeed::store {
namespace {

constexpr std::int64_t ns_per_s = 1'000'000'000;
constexpr std::int64_t bin_length_ns = bin_length_s * ns_per_s;

void check_arguments(const std::vector<Period>& periods, const std::set<std::uint16_t>& detectors,
                     const std::vector<Vehicle>& vehicles) {
  for (std::size_t i = 0; i < periods.size(); ++i) {
    const Period& p = periods[i];
    if (p.start_ns >= p.end_ns || p.start_ns % bin_length_ns != 0 || p.end_ns % bin_length_ns != 0 ||
        (i > 0 && p.start_ns < periods[i - 1].end_ns))
      throw std::invalid_argument("periods to replace must be whole 15-minute bins, in order, not overlapping");
  }
  for (const Vehicle& v : vehicles) {
    const bool inside = std::any_of(periods.begin(), periods.end(),
                                    [&](const Period& p) { return v.t_ns >= p.start_ns && v.t_ns < p.end_ns; });
    if (!inside || !detectors.contains(v.detector))
      throw std::invalid_argument("a replacing vehicle at " + std::to_string(v.t_ns) + " on detector " +
                                  std::to_string(v.detector) + " lies outside the periods or detectors replaced");
  }
}

}  // namespace

// The detector's rows in every version of this site: a period may hold
// vehicles measured under an older site file.
std::vector<std::int64_t> Store::rows_of_detector(std::uint16_t detector) {
  auto sensor = db_.prepare("SELECT sensor FROM detectors WHERE detector_row = ?");
  sensor.bind(1, detector_row(detector));
  if (!sensor.step()) throw std::logic_error("detector row of " + detector_ids_.at(detector) + " vanished");
  const std::string kind = sensor.column_text(0);
  auto q = db_.prepare("SELECT d.detector_row FROM detectors d JOIN site_versions v USING(site_version) "
                       "WHERE v.site_id = ? AND d.detector_id = ? AND d.sensor = ?");
  q.bind(1, std::string_view(site_id_)).bind(2, std::string_view(detector_ids_.at(detector)));
  q.bind(3, std::string_view(kind));
  std::vector<std::int64_t> rows;
  while (q.step()) rows.push_back(q.column_int(0));
  return rows;
}

std::vector<DetectorReplacement> Store::replace_periods(const std::vector<Period>& periods,
                                                        const std::vector<std::uint16_t>& detectors,
                                                        const std::vector<Vehicle>& vehicles,
                                                        const HealthEvent& note) {
  const std::set<std::uint16_t> chosen(detectors.begin(), detectors.end());
  check_arguments(periods, chosen, vehicles);
  std::vector<DetectorReplacement> result;
  Transaction tx(db_);
  auto count = db_.prepare("SELECT count(*) FROM vehicles WHERE detector_row = ? AND t_ns >= ? AND t_ns < ?");
  auto del_vehicles = db_.prepare("DELETE FROM vehicles WHERE detector_row = ? AND t_ns >= ? AND t_ns < ?");
  auto del_bins = db_.prepare("DELETE FROM bins WHERE detector_row = ? AND bin_start_s >= ? AND bin_start_s < ?");
  auto previous = db_.prepare("SELECT max(t_ns) FROM vehicles WHERE detector_row = ? AND direction = ? AND t_ns < ?");
  for (const std::uint16_t d : chosen) {
    DetectorReplacement r{d, 0, 0};
    const std::vector<std::int64_t> rows = rows_of_detector(d);
    for (const Period& p : periods) {
      for (const std::int64_t row : rows) {
        count.bind(1, row).bind(2, p.start_ns).bind(3, p.end_ns);
        count.step();
        r.removed += static_cast<std::size_t>(count.column_int(0));
        count.reset();
        del_vehicles.bind(1, row).bind(2, p.start_ns).bind(3, p.end_ns).run();
        del_bins.bind(1, row).bind(2, p.start_ns / ns_per_s).bind(3, p.end_ns / ns_per_s).run();
      }
      // Each period's first vehicle per lane: its headway is to the last one kept before it.
      std::map<LaneKey, std::int64_t> lanes;
      for (const Direction dir : {Direction::forward, Direction::reverse})
        for (const std::int64_t row : rows) {
          previous.bind(1, row).bind(2, std::int64_t(dir)).bind(3, p.start_ns);
          if (previous.step() && !previous.is_null(0)) {
            auto& last = lanes[{d, dir}];
            last = std::max(last, previous.column_int(0));
          }
          previous.reset();
        }
      std::vector<Vehicle> inside;
      for (const Vehicle& v : vehicles)
        if (v.detector == d && v.t_ns >= p.start_ns && v.t_ns < p.end_ns) inside.push_back(v);
      std::map<BinKey, BinCounts> bins;
      write_vehicles(inside, lanes, bins);
      write_bins(bins);
      r.stored += inside.size();
    }
    result.push_back(r);
  }
  // The hourly rollups are summed from the bins just rewritten (write_bins
  // only adds to them; the deleted bins must leave them too).
  for (const Period& p : periods) rebuild_hour_rollups(db_, p.start_ns / ns_per_s, p.end_ns / ns_per_s);
  write_health(note);
  tx.commit();
  return result;
}

}  // namespace roadspeed::store
