// The statistics as CSV (one row per group, units in the column names) or
// JSON (the same fields per group, with the site and the query). Speeds,
// shares and volumes have one decimal, as street offices publish them.
#pragma once

#include <iosfwd>

#include "daemon/stats/traffic_stats.hpp"

namespace roadspeed::stats {

void write_stats_csv(std::ostream& out, const StatsResult& r);
void write_stats_json(std::ostream& out, const StatsResult& r);

}  // namespace roadspeed::stats
