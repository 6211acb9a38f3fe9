#include "daemon/store/store_reader.hpp"

#include <algorithm>
#include <map>

#include <sqlite3.h>

#include "daemon/store/bin_columns.hpp"
#include "daemon/store/schema.hpp"

namespace roadspeed::store {
namespace {

DetectorKind kind_from(const std::string& s) { return s == "bike_path" ? DetectorKind::bike_path : DetectorKind::road; }

// A bin's threshold counts follow its own site version's thresholds; the
// caller wants them in the latest version's order, matched by name.
using ThresholdOrder = std::map<std::int64_t, std::vector<std::optional<std::size_t>>>;

ThresholdOrder threshold_order(Db& db, const SiteInfo& site) {
  ThresholdOrder order;
  auto q = db.prepare("SELECT t.site_version, t.name FROM thresholds t JOIN site_versions s USING(site_version) "
                      "WHERE s.site_id = ? ORDER BY t.site_version, t.ordinal");
  q.bind(1, std::string_view(site.id));
  while (q.step()) {
    std::optional<std::size_t> at;
    for (std::size_t i = 0; i < site.thresholds.size(); ++i)
      if (site.thresholds[i].name == q.column_text(1)) at = i;
    order[q.column_int(0)].push_back(at);
  }
  return order;
}

// The site's detector rows (all versions) that a selection wants, looked up
// once: the bin and coverage queries then read one table, without a join
// per row, which is most of a year's report.
struct DetectorRow {
  std::string id;
  DetectorKind kind = DetectorKind::road;
  std::string forward, reverse;
  std::int64_t site_version = 0;
};

std::map<std::int64_t, DetectorRow> detector_rows(Db& db, const Selection& sel) {
  std::map<std::int64_t, DetectorRow> rows;
  auto q = db.prepare("SELECT d.detector_row, d.detector_id, d.kind, d.forward, d.reverse, d.site_version "
                      "FROM detectors d JOIN site_versions s USING(site_version) WHERE s.site_id = ? "
                      "AND (?2 IS NULL OR d.detector_id = ?2)");
  q.bind(1, std::string_view(sel.site_id)).bind(2, sel.detector_id);
  while (q.step())
    rows[q.column_int(0)] = {q.column_text(1), kind_from(q.column_text(2)), q.column_text(3), q.column_text(4),
                             q.column_int(5)};
  return rows;
}

// Threshold counts move from the row's site version's order to the latest's.
void to_latest_thresholds(std::vector<std::uint64_t>& counts, const ThresholdOrder& order, std::int64_t site_version,
                          std::size_t latest_count) {
  const std::vector<std::uint64_t> stored = std::move(counts);
  counts.assign(latest_count, 0);
  const auto it = order.find(site_version);
  for (std::size_t i = 0; it != order.end() && i < stored.size() && i < it->second.size(); ++i)
    if (it->second[i]) counts[*it->second[i]] = stored[i];
}

std::int64_t bin_floor_s(std::int64_t t_ns) { return bin_start_s(t_ns); }
std::int64_t ceil_s(std::int64_t t_ns) { return t_ns / 1'000'000'000 + (t_ns % 1'000'000'000 > 0 ? 1 : 0); }

}  // namespace

StoreReader::StoreReader(const std::filesystem::path& path) : db_(path, true) {
  const auto version = db_.query_int("PRAGMA user_version");
  if (version != latest_schema_version())
    throw StoreError(SQLITE_ERROR, path.string() + ": schema version " + std::to_string(version) + ", expected " +
                                       std::to_string(latest_schema_version()) + " (not a roadspeed database?)");
}

std::vector<std::string> StoreReader::site_ids() {
  std::vector<std::string> ids;
  auto q = db_.prepare("SELECT DISTINCT site_id FROM site_versions ORDER BY site_id");
  while (q.step()) ids.push_back(q.column_text(0));
  return ids;
}

SiteInfo StoreReader::site(const std::string& site_id) {
  auto q = db_.prepare("SELECT site_version, name, timezone, speed_limit_kmh, bike_path_limit_kmh FROM site_versions "
                       "WHERE site_id = ? ORDER BY site_version DESC LIMIT 1");
  q.bind(1, std::string_view(site_id));
  if (!q.step()) throw StoreError(SQLITE_NOTFOUND, db_.path().string() + ": no site '" + site_id + "'");
  SiteInfo s{site_id, q.column_text(1), q.column_text(2), q.column_double(3), q.column_double(4), {}, {}};
  const std::int64_t version = q.column_int(0);
  auto d = db_.prepare("SELECT detector_id, kind, forward, reverse FROM detectors WHERE site_version = ? "
                       "ORDER BY detector_index");
  d.bind(1, version);
  while (d.step()) s.detectors.push_back({d.column_text(0), kind_from(d.column_text(1)), d.column_text(2), d.column_text(3)});
  auto t = db_.prepare("SELECT name, scale, offset_kmh FROM thresholds WHERE site_version = ? ORDER BY ordinal");
  t.bind(1, version);
  while (t.step()) s.thresholds.push_back({t.column_text(0), t.column_double(1), t.column_double(2)});
  return s;
}

std::vector<BinRow> StoreReader::bins(const Selection& sel) {
  std::vector<BinRow> rows;
  for_each_bin(sel, [&](const BinRow& r) { rows.push_back(r); });
  return rows;
}

void StoreReader::for_each_bin(const Selection& sel, const std::function<void(const BinRow&)>& f) {
  const SiteInfo site_info = site(sel.site_id);
  const ThresholdOrder order = threshold_order(db_, site_info);
  const auto detectors = detector_rows(db_, sel);
  const std::string start = sel.whole_hours ? "hour_start_s" : "bin_start_s";
  auto q = db_.prepare("SELECT " + start + ", detector_row, direction, class, " ROADSPEED_BIN_COUNT_COLUMNS("") +
                       " FROM " + std::string(sel.whole_hours ? "hour_bins" : "bins") + " WHERE " + start +
                       " >= ? AND " + start + " < ? AND (?3 IS NULL OR class = ?3) ORDER BY " + start);
  const std::int64_t from_s = sel.whole_hours ? hour_start_s(bin_floor_s(sel.from_ns)) : bin_floor_s(sel.from_ns);
  q.bind(1, from_s).bind(2, ceil_s(sel.to_ns));
  if (sel.vehicle_class) q.bind(3, std::int64_t(*sel.vehicle_class));
  BinRow r;
  while (q.step()) {
    const auto d = detectors.find(q.column_int(1));
    if (d == detectors.end()) continue;  // another site's, or a detector not selected
    r.bin_start_s = q.column_int(0);
    r.detector_id = d->second.id;
    r.kind = d->second.kind;
    r.direction = q.column_int(2) == 0 ? d->second.forward : d->second.reverse;
    r.vehicle_class = static_cast<VehicleClass>(q.column_int(3));
    r.counts = read_bin_counts(q, 4);
    to_latest_thresholds(r.counts.over_thresholds, order, d->second.site_version, site_info.thresholds.size());
    f(r);
  }
}

void StoreReader::for_each_hour_total(const Selection& sel, const std::function<void(const HourTotalRow&)>& f) {
  const SiteInfo site_info = site(sel.site_id);
  const ThresholdOrder order = threshold_order(db_, site_info);
  const auto detectors = detector_rows(db_, sel);
  auto q = db_.prepare("SELECT hour_start_s, detector_row, direction, " ROADSPEED_HOUR_TOTAL_COLUMNS
                       " FROM hour_totals WHERE hour_start_s >= ? AND hour_start_s < ? ORDER BY hour_start_s");
  q.bind(1, hour_start_s(bin_floor_s(sel.from_ns))).bind(2, ceil_s(sel.to_ns));
  HourTotalRow r;
  while (q.step()) {
    const auto d = detectors.find(q.column_int(1));
    if (d == detectors.end()) continue;  // another site's, or a detector not selected
    r.hour_start_s = q.column_int(0);
    r.detector_id = d->second.id;
    r.kind = d->second.kind;
    r.direction = q.column_int(2) == 0 ? d->second.forward : d->second.reverse;
    r.totals = read_hour_totals(q, 3);
    to_latest_thresholds(r.totals.all.over_thresholds, order, d->second.site_version, site_info.thresholds.size());
    f(r);
  }
}

std::vector<CoverageRow> StoreReader::coverage(const Selection& sel) {
  std::vector<CoverageRow> rows;
  for_each_coverage(sel, [&](const CoverageRow& c) { rows.push_back(c); });
  return rows;
}

void StoreReader::for_each_coverage(const Selection& sel, const std::function<void(const CoverageRow&)>& f) {
  const auto detectors = detector_rows(db_, sel);
  // Rows in key order (no sort); an hour's rows are summed here rather than
  // by GROUP BY in SQL, which sorted a year's 70 000 rows (a third of a
  // year's hour-of-week report). Usable time is capped per 15-minute bin,
  // so it is computed per bin before an hour's bins are summed.
  auto q = db_.prepare("SELECT bin_start_s, detector_row, observed_ms, fault_ms FROM coverage "
                       "WHERE bin_start_s >= ? AND bin_start_s < ? ORDER BY bin_start_s, detector_row");
  q.bind(1, bin_floor_s(sel.from_ns)).bind(2, ceil_s(sel.to_ns));
  constexpr std::int64_t bin_ms = bin_length_s * 1000;
  std::map<std::int64_t, CoverageRow> period;  // by detector row: one bin's, or with whole_hours one hour's
  std::int64_t current = 0;
  const auto flush = [&] {
    for (const auto& [row, c] : period) f(c);
    period.clear();
  };
  while (q.step()) {
    const auto d = detectors.find(q.column_int(1));
    if (d == detectors.end()) continue;
    const std::int64_t start = sel.whole_hours ? hour_start_s(q.column_int(0)) : q.column_int(0);
    if (start != current) flush();
    current = start;
    const std::int64_t observed_ms = q.column_int(2);
    const std::int64_t fault_ms = q.column_int(3);
    CoverageRow& c = period[d->first];
    c.bin_start_s = start;
    c.detector_id = d->second.id;
    c.observed_ms += observed_ms;
    c.fault_ms += fault_ms;
    c.usable_ms += std::max<std::int64_t>(0, std::min(observed_ms, bin_ms) - fault_ms);
  }
  flush();
}

std::vector<StoredVehicle> StoreReader::vehicles(const Selection& sel) {
  auto q = db_.prepare(
      "SELECT v.t_ns, d.detector_id, d.kind, v.direction, d.forward, d.reverse, v.speed_kmh, v.length_m, v.class, "
      "v.flags, v.headway_ms FROM vehicles v JOIN detectors d USING(detector_row) "
      "JOIN site_versions s USING(site_version) WHERE s.site_id = ? AND v.t_ns >= ? AND v.t_ns < ? "
      "AND (?4 IS NULL OR d.detector_id = ?4) AND (?5 IS NULL OR v.class = ?5) ORDER BY v.t_ns");
  q.bind(1, std::string_view(sel.site_id)).bind(2, sel.from_ns).bind(3, sel.to_ns).bind(4, sel.detector_id);
  if (sel.vehicle_class) q.bind(5, std::int64_t(*sel.vehicle_class));
  std::vector<StoredVehicle> rows;
  while (q.step()) {
    StoredVehicle v;
    v.t_ns = q.column_int(0);
    v.detector_id = q.column_text(1);
    v.kind = kind_from(q.column_text(2));
    v.direction = q.column_text(q.column_int(3) == 0 ? 4 : 5);
    if (!q.is_null(6)) v.speed_kmh = q.column_double(6);
    if (!q.is_null(7)) v.length_m = q.column_double(7);
    v.vehicle_class = static_cast<VehicleClass>(q.column_int(8));
    for (int f = 0; f < flag_count; ++f)
      if (q.column_int(9) & (1 << f)) v.flags.set(static_cast<Flag>(f));
    if (!q.is_null(10)) v.headway_ms = q.column_int(10);
    rows.push_back(std::move(v));
  }
  return rows;
}

}  // namespace roadspeed::store
