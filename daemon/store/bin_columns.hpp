// The bins table's count columns, read in one place for the writer's
// read-modify-write and for the reader's queries.
#pragma once

#include <string_view>

#include "daemon/store/bin_counts.hpp"
#include "daemon/store/sqlite_db.hpp"

namespace roadspeed::store {

// Selected in this order, `prefix` naming the table ("b." or "").
#define ROADSPEED_BIN_COUNT_COLUMNS(prefix)                                                              \
  prefix "vehicles, " prefix "with_speed, " prefix "sum_kmh, " prefix "sum_sq_kmh2, " prefix "max_kmh, " \
  prefix "histogram, " prefix "over_limit, " prefix "over_limit_5, " prefix "over_limit_30, "           \
  prefix "over_thresholds, " prefix "headway_lt1, " prefix "headway_lt2"
inline constexpr int bin_count_column_count = 12;

// The counts from columns first .. first + 11 of the current row; the
// threshold counts in the order of the row's own site version.
BinCounts read_bin_counts(const Statement& row, int first);

}  // namespace roadspeed::store
