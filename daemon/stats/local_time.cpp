#include "daemon/stats/local_time.hpp"

#include <charconv>
#include <cstdio>
#include <stdexcept>

#include <date/tz.h>

namespace roadspeed::stats {
namespace {

using std::chrono::seconds;

// Reads `len` digits at `pos`, or throws.
int digits(std::string_view s, std::size_t pos, std::size_t len, std::string_view whole) {
  int v = 0;
  if (pos + len > s.size() ||
      std::from_chars(s.data() + pos, s.data() + pos + len, v).ptr != s.data() + pos + len)
    throw std::invalid_argument("'" + std::string(whole) + "' is not an ISO 8601 time (like 2025-11-26T07:00)");
  return v;
}

struct Parsed {
  date::local_seconds local;
  bool has_offset = false;
  seconds offset{0};
};

Parsed parse_iso(std::string_view s) {
  const auto expect = [&](std::size_t pos, char c) {
    if (pos >= s.size() || s[pos] != c) digits("", 0, 1, s);  // throws the common message
  };
  const int y = digits(s, 0, 4, s);
  expect(4, '-');
  const int mo = digits(s, 5, 2, s);
  expect(7, '-');
  const int d = digits(s, 8, 2, s);
  const date::year_month_day ymd{date::year{y}, date::month{unsigned(mo)}, date::day{unsigned(d)}};
  if (!ymd.ok()) throw std::invalid_argument("'" + std::string(s) + "' is not a calendar date");
  std::size_t pos = 10;
  int hh = 0, mm = 0, ss = 0;
  if (pos < s.size() && (s[pos] == 'T' || s[pos] == ' ')) {
    hh = digits(s, pos + 1, 2, s);
    expect(pos + 3, ':');
    mm = digits(s, pos + 4, 2, s);
    pos += 6;
    if (pos < s.size() && s[pos] == ':') {
      ss = digits(s, pos + 1, 2, s);
      pos += 3;
    }
  }
  if (hh > 23 || mm > 59 || ss > 59) throw std::invalid_argument("'" + std::string(s) + "': no such time of day");
  Parsed p;
  p.local = date::local_days{ymd} + std::chrono::hours{hh} + std::chrono::minutes{mm} + seconds{ss};
  if (pos == s.size()) return p;
  p.has_offset = true;
  if (s[pos] == 'Z' && pos + 1 == s.size()) return p;
  if ((s[pos] != '+' && s[pos] != '-') || pos + 6 != s.size() || s[pos + 3] != ':') digits("", 0, 1, s);
  const int off_min = digits(s, pos + 1, 2, s) * 60 + digits(s, pos + 4, 2, s);
  p.offset = seconds{(s[pos] == '-' ? -1 : 1) * off_min * 60};
  return p;
}

}  // namespace

LocalClock::LocalClock(const std::string& zone_name) : zone_(date::locate_zone(zone_name)) {}

LocalFields LocalClock::at(std::int64_t epoch_s) const {
  const date::sys_seconds sys{seconds{epoch_s}};
  const auto info = zone_->get_info(sys);
  const auto local = date::local_seconds{(sys + info.offset).time_since_epoch()};
  const auto day = date::floor<date::days>(local);
  const date::year_month_day ymd{day};
  LocalFields f;
  f.day = day.time_since_epoch().count();
  f.year = int(ymd.year());
  f.month = unsigned(ymd.month());
  f.day_of_month = unsigned(ymd.day());
  f.weekday = date::weekday{day}.iso_encoding() - 1;
  f.minute_of_day = int(std::chrono::duration_cast<std::chrono::minutes>(local - day).count());
  f.utc_offset_min = int(std::chrono::duration_cast<std::chrono::minutes>(info.offset).count());
  return f;
}

std::int64_t LocalClock::parse_epoch_s(std::string_view text) const {
  const Parsed p = parse_iso(text);
  if (p.has_offset) return (p.local.time_since_epoch() - p.offset).count();
  const auto info = zone_->get_info(p.local);
  if (info.result == date::local_info::nonexistent)
    throw std::invalid_argument("'" + std::string(text) + "' does not exist in " + zone_->name() +
                                " (the clocks skip it)");
  // Ambiguous (the repeated hour): the first occurrence, under the earlier offset.
  return (p.local.time_since_epoch() - info.first.offset).count();
}

std::int64_t LocalClock::day_start_s(std::int64_t day) const {
  const date::local_seconds midnight{date::days{day}};
  return zone_->to_sys(midnight, date::choose::earliest).time_since_epoch().count();
}

std::string LocalClock::iso_minute(std::int64_t epoch_s) const {
  const LocalFields f = at(epoch_s);
  const int off = f.utc_offset_min < 0 ? -f.utc_offset_min : f.utc_offset_min;
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d%c%02d:%02d", f.year, f.month, f.day_of_month,
                f.minute_of_day / 60, f.minute_of_day % 60, f.utc_offset_min < 0 ? '-' : '+', off / 60, off % 60);
  return buf;
}

std::string LocalClock::iso_date(std::int64_t day) {
  const date::year_month_day ymd{date::sys_days{date::days{day}}};
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", int(ymd.year()), unsigned(ymd.month()), unsigned(ymd.day()));
  return buf;
}

}  // namespace roadspeed::stats
