// Wall-clock time and its two UTC spellings, shared by logs, journal file
// names and the names of databases moved aside.
#pragma once

#include <chrono>
#include <cstdint>
#include <ctime>
#include <string>

namespace roadspeed {

// CLOCK_REALTIME now, epoch ns.
inline std::int64_t wall_now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

namespace utc_detail {
inline std::string format(std::int64_t t_ns, const char* pattern) {
  const auto secs = static_cast<std::time_t>(t_ns / 1'000'000'000);
  std::tm tm{};
  ::gmtime_r(&secs, &tm);
  char buf[40];
  return std::string(buf, std::strftime(buf, sizeof buf, pattern, &tm));
}
}  // namespace utc_detail

// "2026-11-26T17:01:46.123Z": for log lines.
inline std::string format_utc(std::int64_t t_ns) {
  return utc_detail::format(t_ns, "%Y-%m-%dT%H:%M:%S") + "." +
         std::to_string(1000 + (t_ns / 1'000'000) % 1000).substr(1) + "Z";
}

// "20261126T170146Z": for file names, which sort by it.
inline std::string format_utc_compact(std::int64_t t_ns) { return utc_detail::format(t_ns, "%Y%m%dT%H%M%SZ"); }

}  // namespace roadspeed
