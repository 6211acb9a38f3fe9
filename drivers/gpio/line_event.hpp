// One edge as a GPIO back-end hands it on: the kernel's own timestamp.
#pragma once

#include <cstdint>

#include "drivers/edge.hpp"

namespace roadspeed {

// One edge as the kernel stamped it, on CLOCK_MONOTONIC.
struct LineEvent {
  std::int64_t t_mono_ns = 0;
  InputId input = 0;
  std::uint8_t level = 0;  // logical: active_low already applied by the kernel
  // Not an edge: the line's level read when it was (re)opened, so a line that
  // is already active, or changed while its chip was away, starts right.
  bool snapshot = false;
};

}  // namespace roadspeed
