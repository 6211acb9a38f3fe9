#include "daemon/stats/period_groups.hpp"

#include <array>
#include <cstdio>
#include <map>
#include <stdexcept>

#include "daemon/store/bin_counts.hpp"

namespace roadspeed::stats {
namespace {

constexpr std::array<const char*, 7> weekday_names{"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};

// The group's sort key and its label.
std::pair<std::int64_t, std::string> key_of(const LocalClock& clock, std::int64_t quarter_s, const LocalFields& f,
                                            GroupBy by) {
  switch (by) {
    case GroupBy::quarter_hour:
      return {quarter_s, clock.iso_minute(quarter_s)};
    case GroupBy::hour: {
      // The instant the local hour began: the repeated autumn hour is two groups.
      const std::int64_t start_s = quarter_s - (f.minute_of_day % 60) * 60;
      return {start_s, clock.iso_minute(start_s)};
    }
    case GroupBy::day:
      return {f.day, LocalClock::iso_date(f.day)};
    case GroupBy::weekday:
      return {f.weekday, weekday_names[f.weekday]};
    case GroupBy::hour_of_week: {
      char buf[16];
      std::snprintf(buf, sizeof buf, "%s %02d:00", weekday_names[f.weekday], f.minute_of_day / 60);
      return {std::int64_t(f.weekday) * 24 + f.minute_of_day / 60, buf};
    }
    case GroupBy::period:
      break;
  }
  return {0, "period"};
}

}  // namespace

PeriodGroups make_period_groups(const LocalClock& clock, std::int64_t from_s, std::int64_t to_s, GroupBy by) {
  std::map<std::int64_t, std::string> labels;
  std::vector<std::pair<std::int64_t, QuarterPlace>> keyed;
  for (std::int64_t q = from_s; q < to_s; q += store::bin_length_s) {
    const LocalFields f = clock.at(q);
    auto [key, label] = key_of(clock, q, f, by);
    labels.emplace(key, std::move(label));
    keyed.push_back({key, QuarterPlace{0, f.day, f.minute_of_day}});
  }
  PeriodGroups g;
  std::map<std::int64_t, std::size_t> index;
  for (auto& [key, label] : labels) {
    index[key] = g.labels.size();
    g.labels.push_back(std::move(label));
  }
  for (auto& [key, place] : keyed) {
    place.group = index[key];
    g.quarters.push_back(place);
  }
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
