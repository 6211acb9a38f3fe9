// The hourly rollups of the 15-minute bins: `hour_bins` (per class) and
// `hour_totals` (classes summed): a year's report by hour or hour of week
// reads a quarter, or without a class filter a twentieth, of the rows.
// Store::commit keeps both in the same transaction as the bins; these
// rebuild them from the bins, for the migrations that add them to an older
// database, and for whoever rewrites bins in place (replacing a period's
// bins must rebuild its hours).
#pragma once

#include <cstdint>
#include <limits>

#include "daemon/store/sqlite_db.hpp"

namespace roadspeed::store {

// Replaces the rows of hour_bins for the UTC hours that hold a bin start in
// [from_s, to_s) with the sums of the bins of each hour; by default all.
// Inside the caller's transaction.
void rebuild_hour_bins(Db& db, std::int64_t from_s = std::numeric_limits<std::int64_t>::min(),
                       std::int64_t to_s = std::numeric_limits<std::int64_t>::max());

// The same for hour_totals.
void rebuild_hour_totals(Db& db, std::int64_t from_s = std::numeric_limits<std::int64_t>::min(),
                         std::int64_t to_s = std::numeric_limits<std::int64_t>::max());

// Both, as code that rewrote the bins of [from_s, to_s) must.
void rebuild_hour_rollups(Db& db, std::int64_t from_s, std::int64_t to_s);

}  // namespace roadspeed::store
