// The write side of storage: one connection, WAL, synchronous=FULL, one
// transaction per commit() with the vehicles and the bins that count them.
// A commit that returns has reached the disk (one fsync); a commit that
// throws has left the database as it was before it.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "daemon/site/site.hpp"
#include "daemon/store/bin_counts.hpp"
#include "daemon/store/bin_table.hpp"
#include "daemon/store/hour_totals.hpp"
#include "daemon/store/records.hpp"
#include "daemon/store/sqlite_db.hpp"

namespace roadspeed::store {

// Retention defaults: per-vehicle rows are kept this long (bins forever),
// pruned this many rows per call so the write lock is held only briefly.
inline constexpr int default_retention_days = 90;
inline constexpr std::size_t default_prune_batch_rows = 500;

// An earlier import, as the `imports` table records it.
struct StoredImport {
  std::string source;
  std::int64_t first_ns = 0;
  std::int64_t last_ns = 0;
  std::uint64_t vehicles = 0;
  bool complete = false;
};

// "the import of FILE, FIRST to LAST UTC (N vehicles)": for messages.
std::string describe(const StoredImport& import);

// A batch of an import whose span overlaps what an earlier import stored:
// refused, so that no vehicle is ever counted twice.
class ImportOverlap : public StoreError {
 public:
  explicit ImportOverlap(const StoredImport& earlier);
  const StoredImport& earlier() const { return earlier_; }

 private:
  StoredImport earlier_;
};

class Store {
 public:
  // Opens or creates the database, migrates it to the current schema and
  // records `site` (a new site version when the site file changed since the
  // last one, valid from `now_ns`). Throws StoreError.
  // `vfs`: an SQLite VFS other than the default (the tests' fault injector).
  Store(const std::filesystem::path& path, const Site& site, std::int64_t now_ns, const std::string& vfs = {});

  // Stores the batch in one transaction; bins, coverage and headway state
  // move with it. Throws StoreError; then nothing of the batch is stored.
  // A batch of an import (batch.import) that overlaps an earlier import of
  // this site throws ImportOverlap and stores nothing.
  void commit(const Batch& batch);
  // The earliest import of this site, other than the one this Store is
  // committing, whose span overlaps [from_ns, to_ns].
  std::optional<StoredImport> import_overlapping(std::int64_t from_ns, std::int64_t to_ns);
  void add_calibration(const CalibrationRecord& record);

  // Measuring again (roadspeed reanalyze), in one transaction: deletes the
  // stored vehicles and bins of `detectors` (this site's indices; matched
  // by detector id and sensor in every version of the site) in each of
  // `periods` (whole bins, in order, not overlapping), then stores
  // `vehicles` (those detectors' only, inside the periods, in time order
  // per lane) under this site version, with their bins. Headways continue
  // from the last stored vehicle before each period. Coverage, fault spans
  // and the headway state of new commits are left as they are; `note` is
  // kept as a health event. Throws std::invalid_argument for arguments
  // that break these rules (before anything is written) and StoreError;
  // either way nothing has changed.
  std::vector<DetectorReplacement> replace_periods(const std::vector<Period>& periods,
                                                   const std::vector<std::uint16_t>& detectors,
                                                   const std::vector<Vehicle>& vehicles, const HealthEvent& note);

  // Deletes at most `max_rows` of the oldest per-vehicle rows older than
  // `cutoff_ns` (bins stay): called between commits, in small batches, so
  // that it never holds the write lock long. Returns how many it deleted.
  std::size_t prune_vehicles(std::int64_t cutoff_ns, std::size_t max_rows);

  std::int64_t site_version() const { return site_version_; }
  Db& db() { return db_; }

 private:
  using LaneKey = std::pair<std::uint16_t, Direction>;
  using BinKey = std::tuple<std::int64_t, std::uint16_t, Direction, VehicleClass>;
  struct Coverage {
    std::int64_t observed_ms = 0;
    std::int64_t fault_ms = 0;
  };
  using CoverageMap = std::map<std::pair<std::int64_t, std::uint16_t>, Coverage>;

  void record_site(const Site& site, std::int64_t now_ns);
  void load_lanes();
  std::int64_t detector_row(std::uint16_t detector) const;
  void write_vehicles(const std::vector<Vehicle>& vehicles, std::map<LaneKey, std::int64_t>& lanes,
                      std::map<BinKey, BinCounts>& bins);
  void write_bins(const std::map<BinKey, BinCounts>& bins);
  void write_coverage(const CoverageMap& coverage);
  void write_lanes(const std::map<LaneKey, std::int64_t>& lanes);
  void write_faults(const std::vector<FaultSpan>& faults, CoverageMap& coverage);
  void write_health(const HealthEvent& h);
  std::vector<std::int64_t> rows_of_detector(std::uint16_t detector);
  // Returns the import's row id.
  std::int64_t write_import(const ImportProgress& progress, std::size_t vehicles);

  Db db_;
  std::string site_id_;
  std::vector<std::string> detector_ids_;
  std::vector<SpeedLimits> limits_;           // per detector
  std::vector<std::int64_t> detector_rows_;   // per detector, this site version
  std::int64_t site_version_ = 0;
  std::map<LaneKey, std::int64_t> last_in_lane_ns_;  // as committed
  std::optional<std::int64_t> import_id_;  // the import this Store commits, once its first batch is in
  Statement insert_vehicle_;
  BinTable bins_;
  BinTable hour_bins_;
  HourTotalsTable hour_totals_;
};

}  // namespace roadspeed::store
