// Which group each quarter hour of a period belongs to, by local time: the
// quarters of a day with a DST change are 92 or 100, so its groups by hour
// are 23 or 25 and its day is 23 or 25 hours long.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "daemon/stats/local_time.hpp"
#include "daemon/stats/traffic_stats.hpp"

namespace roadspeed::stats {

struct QuarterPlace {
  std::size_t group = 0;   // index into PeriodGroups::labels
  std::int64_t day = 0;    // local date, days since 1970-01-01
  int minute_of_day = 0;   // local
};

struct PeriodGroups {
  std::vector<std::string> labels;      // in group order (chronological, or Monday first)
  std::vector<QuarterPlace> quarters;   // one per quarter hour of the period
  bool whole_day_groups = false;        // day, weekday, period: ADT and peaks apply
};

PeriodGroups make_period_groups(const LocalClock& clock, std::int64_t from_s, std::int64_t to_s, GroupBy by);

// True when the period is whole UTC hours and no group splits one: then the
// hourly rollup gives the same sums as the 15-minute bins, from a quarter
// of the rows. Never for day, weekday and period groups, whose peak hours
// need the quarters, nor in time zones offset by a half or quarter hour.
bool groups_keep_utc_hours(const PeriodGroups& groups, std::int64_t from_s, std::int64_t to_s);

// "15min", "hour", ... as on the command line; throws std::invalid_argument.
GroupBy group_by_from_string(const std::string& s);

}  // namespace roadspeed::stats
