// Site-local time through Howard Hinnant's date library and the system's
// tzdata (g++ 12 has no C++20 time zones). Reports are in local time, so
// days have 23 and 25 hours where daylight saving time starts and ends.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace date {
class time_zone;
}

namespace roadspeed::stats {

// A moment as the site's clocks show it.
struct LocalFields {
  std::int64_t day = 0;  // local date as days since 1970-01-01
  int year = 0;
  unsigned month = 0;
  unsigned day_of_month = 0;
  unsigned weekday = 0;  // ISO order: 0 = Monday .. 6 = Sunday
  int minute_of_day = 0;  // 0 .. 1439
  int utc_offset_min = 0;
};

class LocalClock {
 public:
  // Throws std::runtime_error for a zone the tz database does not know.
  explicit LocalClock(const std::string& zone_name);

  LocalFields at(std::int64_t epoch_s) const;
  // ISO 8601: "2025-11-26", "2025-11-26T07:00", "...:00", each optionally
  // ending in "Z" or "+01:00". Without an offset it is local time: a local
  // time that does not exist (the hour skipped in spring) is an error, one
  // that occurs twice (autumn) means the first. Throws std::invalid_argument.
  std::int64_t parse_epoch_s(std::string_view text) const;
  // Epoch second of local midnight starting local `day`.
  std::int64_t day_start_s(std::int64_t day) const;

  // "2025-11-26T07:15+01:00": unambiguous even in the repeated hour.
  std::string iso_minute(std::int64_t epoch_s) const;
  static std::string iso_date(std::int64_t day);

 private:
  const date::time_zone* zone_;
};

}  // namespace roadspeed::stats
