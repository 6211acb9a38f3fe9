#include "daemon/stats/period_groups.hpp"

#include <array>
#include <cstdio>
#include <map>
#include <stdexcept>

#include "daemon/store/bin_counts.hpp"

namespace roadspeed::stats {
namespace {

constexpr std::array<const char*, 7> weekday_names{"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};

// The group's sort key.
std::int64_t key_of(std::int64_t quarter_s, const LocalFields& f, GroupBy by) {
  switch (by) {
    case GroupBy::quarter_hour:
      return quarter_s;
    case GroupBy::hour:
      // The instant the local hour began: the repeated autumn hour is two groups.
      return quarter_s - (f.minute_of_day % 60) * 60;
    case GroupBy::day:
      return f.day;
    case GroupBy::weekday:
      return f.weekday;
    case GroupBy::hour_of_week:
      return std::int64_t(f.weekday) * 24 + f.minute_of_day / 60;
    case GroupBy::period:
      break;
  }
  return 0;
}

// The label of the group whose key is `key`, from one of its quarters.
std::string label_of(const LocalClock& clock, std::int64_t key, const LocalFields& f, GroupBy by) {
  switch (by) {
    case GroupBy::quarter_hour:
    case GroupBy::hour:
      return clock.iso_minute(key);
    case GroupBy::day:
      return LocalClock::iso_date(f.day);
    case GroupBy::weekday:
      return weekday_names[f.weekday];
    case GroupBy::hour_of_week: {
      char buf[16];
      std::snprintf(buf, sizeof buf, "%s %02d:00", weekday_names[f.weekday], f.minute_of_day / 60);
      return buf;
    }
    case GroupBy::period:
      break;
  }
  return "period";
}

}  // namespace

PeriodGroups make_period_groups(const LocalClock& clock, std::int64_t from_s, std::int64_t to_s, GroupBy by) {
  // A year is 35 040 quarters: each is placed once, its label made once per group.
  const auto n = static_cast<std::size_t>(to_s > from_s ? (to_s - from_s) / store::bin_length_s : 0);
  std::map<std::int64_t, std::string> labels;
  std::vector<std::int64_t> keys;
  keys.reserve(n);
  PeriodGroups g;
  g.quarters.reserve(n);
  for (std::int64_t q = from_s; q < to_s; q += store::bin_length_s) {
    const LocalFields f = clock.at(q);
    const std::int64_t key = key_of(q, f, by);
    if (!labels.contains(key)) labels.emplace(key, label_of(clock, key, f, by));
    keys.push_back(key);
    g.quarters.push_back(QuarterPlace{0, f.day, f.minute_of_day});
  }
  std::map<std::int64_t, std::size_t> index;
  for (auto& [key, label] : labels) {
    index.emplace(key, g.labels.size());
    g.labels.push_back(std::move(label));
  }
  // Quarters of one group come in runs: look the index up once per run.
  for (std::size_t i = 0; i < keys.size(); ++i)
    g.quarters[i].group = i > 0 && keys[i] == keys[i - 1] ? g.quarters[i - 1].group : index.at(keys[i]);
  g.whole_day_groups = by == GroupBy::day || by == GroupBy::weekday || by == GroupBy::period;
  return g;
}

bool groups_keep_utc_hours(const PeriodGroups& groups, std::int64_t from_s, std::int64_t to_s) {
  constexpr std::size_t quarters_per_hour = store::hour_length_s / store::bin_length_s;
  if (groups.whole_day_groups || from_s % store::hour_length_s != 0 || to_s % store::hour_length_s != 0) return false;
  for (std::size_t i = 0; i < groups.quarters.size(); ++i)
    if (groups.quarters[i].group != groups.quarters[i - i % quarters_per_hour].group) return false;
  return true;
}

GroupBy group_by_from_string(const std::string& s) {
  if (s == "15min") return GroupBy::quarter_hour;
  if (s == "hour") return GroupBy::hour;
  if (s == "day") return GroupBy::day;
  if (s == "weekday") return GroupBy::weekday;
  if (s == "hour-of-week") return GroupBy::hour_of_week;
  if (s == "period") return GroupBy::period;
  throw std::invalid_argument("--group-by: '" + s + "' is none of 15min, hour, day, weekday, hour-of-week, period");
}

}  // namespace roadspeed::stats
