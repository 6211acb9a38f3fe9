// The hourly rollup of the 15-minute bins (`hour_bins`): a year's report by
// hour or hour of week reads a quarter of the rows. Store::commit keeps it
// in the same transaction as the bins; this rebuilds it from the bins, for
// the migration that adds it to an older database.
#pragma once

#include "daemon/store/sqlite_db.hpp"

namespace roadspeed::store {

// Replaces every row of hour_bins with the sums of the bins of its hour.
void rebuild_hour_bins(Db& db);

}  // namespace roadspeed::store
