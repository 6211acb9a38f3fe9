// The one edge type that flows from every source (GPIO, simulator, replay)
// into detection. Mirrors a line of the trace format (spec/interfaces.md §1).
#pragma once

#include <cstdint>

namespace roadspeed {

// Index into Site::inputs; names are resolved once, at the boundary.
using InputId = std::uint16_t;

struct Edge {
  std::int64_t t_ns = 0;   // kernel timestamp mapped to epoch nanoseconds (UTC)
  InputId input = 0;
  std::uint8_t level = 0;  // logical level: 1 = sensor active, polarity already applied

  friend bool operator==(const Edge&, const Edge&) = default;
};

}  // namespace roadspeed
