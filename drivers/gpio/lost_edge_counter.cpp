#include "drivers/gpio/lost_edge_counter.hpp"

namespace roadspeed {

LostEdgeCounter::LostEdgeCounter(std::size_t input_count) : level_(input_count, 0), lost_(input_count, 0) {}

bool LostEdgeCounter::observe(const Edge& e) {
  std::uint8_t& last = level_.at(e.input);
  const bool repeated = last == e.level;
  if (repeated) ++lost_[e.input];
  last = e.level;
  return repeated;
}

}  // namespace roadspeed
