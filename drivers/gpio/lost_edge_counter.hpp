// Evidence of lost edges. libgpiod 1.6 (the v1 kernel interface) cannot say
// that its 16-event queue overflowed, and in both-edge mode the kernel reads
// the level after the interrupt, so a short pulse can come out as two edges
// of the same level. A line cannot rise twice without falling in between:
// every repeated level is at least one lost edge. Pure.
#pragma once

#include <cstdint>
#include <vector>

#include "drivers/edge.hpp"

namespace roadspeed {

class LostEdgeCounter {
 public:
  // Every input starts inactive, as in the trace format.
  explicit LostEdgeCounter(std::size_t input_count);

  // Records `e`; true when it repeats its input's previous level.
  bool observe(const Edge& e);
  // The level last seen on `input` (0 before any edge).
  std::uint8_t level(InputId input) const { return level_.at(input); }
  std::uint64_t lost(InputId input) const { return lost_.at(input); }

 private:
  std::vector<std::uint8_t> level_;
  std::vector<std::uint64_t> lost_;
};

}  // namespace roadspeed
