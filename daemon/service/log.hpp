// Log lines on stderr with the syslog priority prefix journald understands
// (sd-daemon(3)): "<3>" error, "<4>" warning, "<6>" info.
#pragma once

#include <iostream>
#include <string_view>

namespace roadspeed::log {

inline void line(std::string_view prefix, std::string_view text) {
  std::cerr << prefix << "roadspeedd: " << text << '\n' << std::flush;
}
inline void error(std::string_view text) { line("<3>", text); }
inline void warning(std::string_view text) { line("<4>", text); }
inline void info(std::string_view text) { line("<6>", text); }

}  // namespace roadspeed::log
