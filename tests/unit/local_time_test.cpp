#include <catch2/catch.hpp>

#include "daemon/stats/local_time.hpp"
#include "daemon/stats/period_groups.hpp"

namespace roadspeed::stats {
namespace {

// 2025 in Sweden: summer time from 30 March 02:00 (to 03:00) to 26 October 03:00 (back to 02:00).
const LocalClock stockholm("Europe/Stockholm");

TEST_CASE("local times without an offset are the site's, with one they are absolute", "[stats]") {
  CHECK(stockholm.parse_epoch_s("2025-11-26T13:00") == 1764158400);  // 12:00 UTC
  CHECK(stockholm.parse_epoch_s("2025-11-26T13:00:00") == 1764158400);
  CHECK(stockholm.parse_epoch_s("2025-11-26T12:00Z") == 1764158400);
  CHECK(stockholm.parse_epoch_s("2025-11-26T14:30+02:30") == 1764158400);
  CHECK(stockholm.parse_epoch_s("2025-11-26") == 1764158400 - 13 * 3600);
  CHECK(stockholm.parse_epoch_s("2025-07-01T12:00") == 1751364000);  // summer: UTC+2
}

TEST_CASE("a skipped local hour is an error and a repeated one means the first", "[stats]") {
  CHECK_THROWS_WITH(stockholm.parse_epoch_s("2025-03-30T02:30"), Catch::Contains("does not exist"));
  // 02:30 happens at 00:30 UTC (summer time) and again at 01:30 UTC.
  CHECK(stockholm.parse_epoch_s("2025-10-26T02:30") == 1761438600);
  CHECK(stockholm.parse_epoch_s("2025-10-26T02:30+01:00") == 1761438600 + 3600);
}

TEST_CASE("malformed times are errors that quote the text", "[stats]") {
  for (const char* bad : {"2025-11-26T25:00", "2025-02-30", "26/11/2025", "2025-11-26T13", "2025-11-26T13:00+1"})
    CHECK_THROWS_WITH(stockholm.parse_epoch_s(bad), Catch::Contains(bad));
}

TEST_CASE("days follow local time: DST days have 23 and 25 hours", "[stats]") {
  const std::int64_t from = stockholm.parse_epoch_s("2025-10-25");
  const std::int64_t to = stockholm.parse_epoch_s("2025-10-28");
  const PeriodGroups days = make_period_groups(stockholm, from, to, GroupBy::day);
  REQUIRE(days.labels == std::vector<std::string>{"2025-10-25", "2025-10-26", "2025-10-27"});
  std::vector<int> quarters(3, 0);
  for (const QuarterPlace& q : days.quarters) ++quarters[q.group];
  CHECK(quarters == std::vector<int>{96, 100, 96});

  const PeriodGroups spring = make_period_groups(stockholm, stockholm.parse_epoch_s("2025-03-30"),
                                                 stockholm.parse_epoch_s("2025-03-31"), GroupBy::hour);
  CHECK(spring.labels.size() == 23);
  CHECK(spring.labels[2] == "2025-03-30T03:00+02:00");
  const PeriodGroups autumn = make_period_groups(stockholm, stockholm.parse_epoch_s("2025-10-26"),
                                                 stockholm.parse_epoch_s("2025-10-27"), GroupBy::hour);
  REQUIRE(autumn.labels.size() == 25);
  CHECK(autumn.labels[2] == "2025-10-26T02:00+02:00");
  CHECK(autumn.labels[3] == "2025-10-26T02:00+01:00");
}

TEST_CASE("weekday and hour-of-week groups start on Monday", "[stats]") {
  const std::int64_t from = stockholm.parse_epoch_s("2025-11-26");  // a Wednesday
  const PeriodGroups week = make_period_groups(stockholm, from, from + 7 * 86400, GroupBy::weekday);
  CHECK(week.labels == std::vector<std::string>{"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"});
  const PeriodGroups how = make_period_groups(stockholm, from, from + 7 * 86400, GroupBy::hour_of_week);
  REQUIRE(how.labels.size() == 168);
  CHECK(how.labels[0] == "Mon 00:00");
  CHECK(how.labels[167] == "Sun 23:00");
  CHECK(how.quarters[0].group == 2 * 24);  // Wednesday 00:00
}

}  // namespace
}  // namespace roadspeed::stats
