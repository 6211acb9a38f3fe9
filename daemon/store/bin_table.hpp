// Adding counts to one row of a bin table: the 15-minute `bins` or their
// hourly rollup `hour_bins` (same columns, keyed by the period's start).
// Read, merge, write back: the counts are blobs and maxima, which SQL
// cannot add up, so the merge is BinCounts::merge, the same arithmetic the
// statistics use.
#pragma once

#include <cstdint>
#include <string_view>

#include "daemon/store/bin_counts.hpp"
#include "daemon/store/sqlite_db.hpp"

namespace roadspeed::store {

class BinTable {
 public:
  // `table`: "bins" or "hour_bins" (a fixed name, never user input).
  BinTable(Db& db, std::string_view table);

  // Adds `delta` to the row of (start_s, detector_row, direction, class),
  // creating it when missing; inside the caller's transaction.
  void add(std::int64_t start_s, std::int64_t detector_row, std::int64_t direction, std::int64_t vehicle_class,
           const BinCounts& delta);

 private:
  Statement select_;
  Statement upsert_;
};

}  // namespace roadspeed::store
