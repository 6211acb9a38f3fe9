// The hourly rollup of the 15-minute bins (`hour_bins`): a year's report by
// hour or hour of week reads a quarter of the rows. Store::commit keeps it
// in the same transaction as the bins; this rebuilds it from the bins, for
// the migration that adds it to an older database, and for whoever rewrites
// bins in place (replacing a period's bins must rebuild its hours).
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

}  // namespace roadspeed::store
