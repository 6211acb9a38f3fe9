// Opening the write connection and recording the site (with history).
#include "daemon/store/store.hpp"

#include <cstdio>
#include <sstream>

#include "daemon/store/schema.hpp"

namespace roadspeed::store {
namespace {

Db open_migrated(const std::filesystem::path& path, const std::string& vfs) {
  Db db(path, false, vfs);
  // WAL: readers (reports, backup) never block the writer. FULL: a commit
  // is on the disk when it returns, at one fsync per commit.
  db.exec("PRAGMA journal_mode = WAL");
  db.exec("PRAGMA synchronous = FULL");
  migrate(db);
  return db;
}

std::string_view kind_name(DetectorKind k) { return k == DetectorKind::bike_path ? "bike_path" : "road"; }

// Everything in the site file that changes what stored numbers mean: when
// it differs from the latest version's, the site gets a new version.
std::string fingerprint(const Site& site) {
  std::ostringstream f;
  f.precision(17);
  f << site.id << '|' << site.name << '|' << site.timezone << '|' << site.speed_limit_kmh << '|'
    << site.bike_path_limit_kmh << "|classes " << site.classes.two_wheeler_max_m << ' ' << site.classes.car_max_m
    << ' ' << site.classes.van_max_m << ' ' << site.classes.truck_max_m;
  for (const Trap& t : site.traps)
    f << "|trap " << t.id << ' ' << t.spacing_m << ' ' << t.loop_length_m << ' ' << t.forward << ' '
      << t.reverse << ' ' << kind_name(t.kind);
  for (const Radar& r : site.radars)
    f << "|radar " << r.id << ' ' << r.carrier_ghz << ' ' << r.angle_deg << ' ' << r.forward << ' ' << r.reverse
      << ' ' << kind_name(r.kind);
  for (const Threshold& t : site.thresholds) f << "|threshold " << t.name << ' ' << t.scale << ' ' << t.offset_kmh;
  return f.str();
}

SpeedLimits limits_for(const Site& site, DetectorKind kind) {
  SpeedLimits l;
  l.limit_kmh = kind == DetectorKind::bike_path ? site.bike_path_limit_kmh : site.speed_limit_kmh;
  for (const Threshold& t : site.thresholds) l.thresholds_kmh.push_back(site.speed_limit_kmh * t.scale + t.offset_kmh);
  return l;
}

}  // namespace

Store::Store(const std::filesystem::path& path, const Site& site, std::int64_t now_ns, const std::string& vfs)
    : db_(open_migrated(path, vfs)),
      site_id_(site.id),
      insert_vehicle_(db_, "INSERT INTO vehicles(t_ns, detector_row, direction, speed_kmh, length_m, class, "
                           "flags, headway_ms) VALUES(?, ?, ?, ?, ?, ?, ?, ?)"),
      bins_(db_, "bins"),
      hour_bins_(db_, "hour_bins"),
      hour_totals_(db_) {
  for (std::size_t d = 0; d < site.detector_count(); ++d) {
    detector_ids_.push_back(site.detector_id(d));
    const DetectorKind kind = d < site.traps.size() ? site.traps[d].kind : site.radars[d - site.traps.size()].kind;
    limits_.push_back(limits_for(site, kind));
  }
  record_site(site, now_ns);
  load_lanes();
}

void Store::record_site(const Site& site, std::int64_t now_ns) {
  const std::string print = fingerprint(site);
  auto latest = db_.prepare("SELECT site_version, fingerprint FROM site_versions WHERE site_id = ? "
                            "ORDER BY site_version DESC LIMIT 1");
  latest.bind(1, std::string_view(site.id));
  if (latest.step() && latest.column_text(1) == print) {
    site_version_ = latest.column_int(0);
  } else {
    Transaction tx(db_);
    auto ins = db_.prepare("INSERT INTO site_versions(site_id, name, timezone, speed_limit_kmh, "
                           "bike_path_limit_kmh, fingerprint, valid_from_ns) VALUES(?, ?, ?, ?, ?, ?, ?)");
    ins.bind(1, std::string_view(site.id)).bind(2, std::string_view(site.name));
    ins.bind(3, std::string_view(site.timezone)).bind(4, site.speed_limit_kmh).bind(5, site.bike_path_limit_kmh);
    ins.bind(6, std::string_view(print)).bind(7, now_ns).run();
    site_version_ = db_.query_int("SELECT last_insert_rowid()");
    auto det = db_.prepare("INSERT INTO detectors(site_version, detector_index, detector_id, sensor, kind, "
                           "forward, reverse) VALUES(?, ?, ?, ?, ?, ?, ?)");
    for (std::size_t d = 0; d < site.detector_count(); ++d) {
      const bool trap = d < site.traps.size();
      const auto& fwd = trap ? site.traps[d].forward : site.radars[d - site.traps.size()].forward;
      const auto& rev = trap ? site.traps[d].reverse : site.radars[d - site.traps.size()].reverse;
      const DetectorKind kind = trap ? site.traps[d].kind : site.radars[d - site.traps.size()].kind;
      det.bind(1, site_version_).bind(2, std::int64_t(d)).bind(3, std::string_view(site.detector_id(d)));
      det.bind(4, std::string_view(trap ? "trap" : "radar")).bind(5, kind_name(kind));
      det.bind(6, std::string_view(fwd)).bind(7, std::string_view(rev)).run();
    }
    auto thr = db_.prepare("INSERT INTO thresholds VALUES(?, ?, ?, ?, ?)");
    for (std::size_t i = 0; i < site.thresholds.size(); ++i) {
      const Threshold& t = site.thresholds[i];
      thr.bind(1, site_version_).bind(2, std::int64_t(i)).bind(3, std::string_view(t.name));
      thr.bind(4, t.scale).bind(5, t.offset_kmh).run();
    }
    tx.commit();
  }
  auto rows = db_.prepare("SELECT detector_row FROM detectors WHERE site_version = ? ORDER BY detector_index");
  rows.bind(1, site_version_);
  while (rows.step()) detector_rows_.push_back(rows.column_int(0));
}

void Store::load_lanes() {
  auto q = db_.prepare("SELECT detector_id, direction, last_t_ns FROM lanes WHERE site_id = ?");
  q.bind(1, std::string_view(site_id_));
  while (q.step()) {
    const std::string id = q.column_text(0);
    for (std::size_t d = 0; d < detector_ids_.size(); ++d)
      if (detector_ids_[d] == id)
        last_in_lane_ns_[{static_cast<std::uint16_t>(d), static_cast<Direction>(q.column_int(1))}] = q.column_int(2);
  }
}

std::int64_t Store::detector_row(std::uint16_t detector) const {
  if (detector >= detector_rows_.size())
    throw std::out_of_range("vehicle on detector " + std::to_string(detector) + ", but the site has " +
                            std::to_string(detector_rows_.size()));
  return detector_rows_[detector];
}

}  // namespace roadspeed::store
