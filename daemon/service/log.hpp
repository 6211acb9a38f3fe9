// Log lines on stderr with the syslog priority prefix journald understands
// (sd-daemon(3)): "<3>" error, "<4>" warning, "<6>" info.
#pragma once

#include <cstdint>
#include <ctime>
#include <iostream>
#include <string>
#include <string_view>

namespace roadspeed::log {

inline void line(std::string_view prefix, std::string_view text) {
  std::cerr << prefix << "roadspeedd: " << text << '\n' << std::flush;
}
inline void error(std::string_view text) { line("<3>", text); }
inline void warning(std::string_view text) { line("<4>", text); }
inline void info(std::string_view text) { line("<6>", text); }

}  // namespace roadspeed::log

namespace roadspeed {

// Epoch ns as ISO 8601 UTC with milliseconds, for log lines.
inline std::string format_utc(std::int64_t t_ns) {
  const std::time_t secs = static_cast<std::time_t>(t_ns / 1'000'000'000);
  std::tm tm{};
  ::gmtime_r(&secs, &tm);
  char buf[40];
  const std::size_t n = std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  return std::string(buf, n) + "." + std::to_string(1000 + (t_ns / 1'000'000) % 1000).substr(1) + "Z";
}

}  // namespace roadspeed
