// A command-line time in the site's local time (ISO 8601, as `roadspeed
// stats` takes it), with the option's name in the error.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>

#include "daemon/stats/local_time.hpp"

namespace roadspeed::cli {

// Epoch seconds; throws std::invalid_argument "--from: '...' is not ...".
inline std::int64_t parse_time_option(const stats::LocalClock& clock, const std::string& option,
                                      const std::string& text) {
  try {
    return clock.parse_epoch_s(text);
  } catch (const std::invalid_argument& e) {
    throw std::invalid_argument(option + ": " + e.what());
  }
}

}  // namespace roadspeed::cli
