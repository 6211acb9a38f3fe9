// One batch, one transaction: vehicles, the bins that count them, coverage,
// faults, health events and the headway state, all or nothing.
#include <algorithm>

#include <sqlite3.h>

#include "drivers/utc_time.hpp"

#include "daemon/store/store.hpp"

namespace roadspeed::store {
namespace {

constexpr std::int64_t ns_per_ms = 1'000'000;
constexpr std::int64_t bin_length_ns = bin_length_s * 1'000'000'000;

// Calls f(bin_start_s, overlap_ns) for every bin that [start_ns, end_ns) touches.
template <class F>
void for_each_bin(std::int64_t start_ns, std::int64_t end_ns, F f) {
  for (std::int64_t b = bin_start_s(start_ns); start_ns < end_ns; b += bin_length_s) {
    const std::int64_t bin_end_ns = (b + bin_length_s) * 1'000'000'000;
    const std::int64_t piece_end_ns = std::min(end_ns, bin_end_ns);
    f(b, piece_end_ns - start_ns);
    start_ns = piece_end_ns;
  }
  static_assert(bin_length_ns > 0);
}

}  // namespace

void Store::commit(const Batch& batch) {
  std::map<LaneKey, std::int64_t> lanes = last_in_lane_ns_;
  std::map<BinKey, BinCounts> bins;
  CoverageMap coverage;
  for (const ObservedSpan& s : batch.observed)
    for_each_bin(s.start_ns, s.end_ns, [&](std::int64_t b, std::int64_t overlap_ns) {
      for (std::size_t d = 0; d < detector_rows_.size(); ++d)
        coverage[{b, static_cast<std::uint16_t>(d)}].observed_ms += overlap_ns / ns_per_ms;
    });

  Transaction tx(db_);
  std::optional<std::int64_t> import_id = import_id_;
  if (batch.import) import_id = write_import(*batch.import, batch.vehicles.size());
  write_vehicles(batch.vehicles, lanes, bins);
  write_bins(bins);
  write_faults(batch.faults, coverage);
  write_coverage(coverage);
  write_lanes(lanes);
  for (const HealthEvent& h : batch.health) write_health(h);
  tx.commit();
  // Only now are the headway state and the import what the database says.
  last_in_lane_ns_ = std::move(lanes);
  import_id_ = import_id;
}

void Store::write_vehicles(const std::vector<Vehicle>& vehicles, std::map<LaneKey, std::int64_t>& lanes,
                           std::map<BinKey, BinCounts>& bins) {
  for (const Vehicle& v : vehicles) {
    const std::int64_t row = detector_row(v.detector);
    std::optional<std::int64_t> headway_ns;
    const auto lane = lanes.find({v.detector, v.direction});
    if (lane != lanes.end() && v.t_ns >= lane->second) headway_ns = v.t_ns - lane->second;
    lanes[{v.detector, v.direction}] = std::max(v.t_ns, lane != lanes.end() ? lane->second : v.t_ns);

    insert_vehicle_.bind(1, v.t_ns).bind(2, row).bind(3, std::int64_t(v.direction));
    insert_vehicle_.bind(4, v.speed_kmh).bind(5, v.length_m).bind(6, std::int64_t(v.vehicle_class));
    insert_vehicle_.bind(7, std::int64_t(v.flags.bits()));
    if (headway_ns) insert_vehicle_.bind(8, *headway_ns / ns_per_ms);
    insert_vehicle_.run();
    bins[{bin_start_s(v.t_ns), v.detector, v.direction, v.vehicle_class}].add(v.speed_kmh, headway_ns,
                                                                              limits_[v.detector]);
  }
}

void Store::write_bins(const std::map<BinKey, BinCounts>& bins) {
  // The hourly rollups move with their bins: summed here per hour, so that
  // a batch touches each hour row once.
  std::map<BinKey, BinCounts> hours;
  for (const auto& [key, delta] : bins) {
    const auto& [bin_s, detector, direction, vehicle_class] = key;
    bins_.add(bin_s, detector_row(detector), std::int64_t(direction), std::int64_t(vehicle_class), delta);
    hours[{hour_start_s(bin_s), detector, direction, vehicle_class}].merge(delta);
  }
  std::map<std::tuple<std::int64_t, std::uint16_t, Direction>, HourTotals> totals;
  for (const auto& [key, delta] : hours) {
    const auto& [hour_s, detector, direction, vehicle_class] = key;
    hour_bins_.add(hour_s, detector_row(detector), std::int64_t(direction), std::int64_t(vehicle_class), delta);
    totals[{hour_s, detector, direction}].add(vehicle_class, delta);
  }
  for (const auto& [key, delta] : totals) {
    const auto& [hour_s, detector, direction] = key;
    hour_totals_.add(hour_s, detector_row(detector), std::int64_t(direction), delta);
  }
}

void Store::write_faults(const std::vector<FaultSpan>& faults, CoverageMap& coverage) {
  auto ins = db_.prepare("INSERT INTO fault_spans VALUES(?, ?, ?, ?)");
  for (const FaultSpan& f : faults) {
    ins.bind(1, detector_row(f.detector)).bind(2, f.start_ns).bind(3, f.end_ns);
    ins.bind(4, std::string_view(f.reason)).run();
    for_each_bin(f.start_ns, f.end_ns, [&](std::int64_t b, std::int64_t overlap_ns) {
      coverage[{b, f.detector}].fault_ms += overlap_ns / ns_per_ms;
    });
  }
}

void Store::write_coverage(const CoverageMap& coverage) {
  auto up = db_.prepare("INSERT INTO coverage VALUES(?, ?, ?, ?) ON CONFLICT(bin_start_s, detector_row) DO UPDATE "
                        "SET observed_ms = observed_ms + excluded.observed_ms, "
                        "fault_ms = fault_ms + excluded.fault_ms");
  for (const auto& [key, c] : coverage) {
    up.bind(1, key.first).bind(2, detector_row(key.second)).bind(3, c.observed_ms).bind(4, c.fault_ms).run();
  }
}

void Store::write_lanes(const std::map<LaneKey, std::int64_t>& lanes) {
  auto up = db_.prepare("INSERT OR REPLACE INTO lanes VALUES(?, ?, ?, ?)");
  for (const auto& [key, t_ns] : lanes) {
    const auto it = last_in_lane_ns_.find(key);
    if (it != last_in_lane_ns_.end() && it->second == t_ns) continue;
    up.bind(1, std::string_view(site_id_)).bind(2, std::string_view(detector_ids_.at(key.first)));
    up.bind(3, std::int64_t(key.second)).bind(4, t_ns).run();
  }
}

void Store::write_health(const HealthEvent& h) {
  auto ins = db_.prepare("INSERT INTO health_events VALUES(?, ?, ?, ?)");
  ins.bind(1, h.t_ns).bind(2, std::string_view(h.source)).bind(3, std::string_view(h.severity));
  ins.bind(4, std::string_view(h.message)).run();
}

void Store::add_calibration(const CalibrationRecord& r) {
  auto ins = db_.prepare("INSERT INTO calibrations VALUES(?, ?, ?, ?, ?, ?)");
  ins.bind(1, r.t_ns).bind(2, detector_row(r.detector)).bind(3, std::int64_t(r.reference_passes));
  ins.bind(4, r.scale).bind(5, r.offset_kmh).bind(6, std::string_view(r.note)).run();
}

std::string describe(const StoredImport& i) {
  return "the import of " + i.source + ", " + format_utc(i.first_ns) + " to " + format_utc(i.last_ns) + " (" +
         std::to_string(i.vehicles) + " vehicles" + (i.complete ? "" : ", interrupted") + ")";
}

ImportOverlap::ImportOverlap(const StoredImport& earlier)
    : StoreError(SQLITE_CONSTRAINT, "overlaps " + describe(earlier)), earlier_(earlier) {}

std::optional<StoredImport> Store::import_overlapping(std::int64_t from_ns, std::int64_t to_ns) {
  auto q = db_.prepare("SELECT source, first_ns, last_ns, vehicles, complete FROM imports WHERE site_id = ? "
                       "AND first_ns <= ? AND last_ns >= ? AND import_id IS NOT ? ORDER BY first_ns LIMIT 1");
  q.bind(1, std::string_view(site_id_)).bind(2, to_ns).bind(3, from_ns).bind(4, import_id_);
  if (!q.step()) return std::nullopt;
  return StoredImport{q.column_text(0), q.column_int(1), q.column_int(2),
                      static_cast<std::uint64_t>(q.column_int(3)), q.column_int(4) != 0};
}

std::int64_t Store::write_import(const ImportProgress& p, std::size_t vehicles) {
  // Checked inside the transaction, so that nothing of an overlapping batch is stored.
  if (const auto earlier = import_overlapping(p.first_ns, p.last_ns))
    throw ImportOverlap(*earlier);
  if (!import_id_) {
    auto ins = db_.prepare("INSERT INTO imports(site_id, source, first_ns, last_ns, vehicles, complete) "
                           "VALUES(?, ?, ?, ?, ?, ?)");
    ins.bind(1, std::string_view(site_id_)).bind(2, std::string_view(p.source)).bind(3, p.first_ns);
    ins.bind(4, p.last_ns).bind(5, std::int64_t(vehicles)).bind(6, std::int64_t(p.complete)).run();
    return db_.query_int("SELECT last_insert_rowid()");
  }
  auto up = db_.prepare("UPDATE imports SET last_ns = ?, vehicles = vehicles + ?, complete = ? WHERE import_id = ?");
  up.bind(1, p.last_ns).bind(2, std::int64_t(vehicles)).bind(3, std::int64_t(p.complete)).bind(4, *import_id_).run();
  return *import_id_;
}

std::size_t Store::prune_vehicles(std::int64_t cutoff_ns, std::size_t max_rows) {
  auto del = db_.prepare("DELETE FROM vehicles WHERE rowid IN (SELECT rowid FROM vehicles WHERE t_ns < ? "
                         "ORDER BY t_ns LIMIT ?)");
  del.bind(1, cutoff_ns).bind(2, std::int64_t(max_rows)).run();
  return static_cast<std::size_t>(db_.query_int("SELECT changes()"));
}

}  // namespace roadspeed::store
