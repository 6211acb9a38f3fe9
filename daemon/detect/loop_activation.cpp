#include "daemon/detect/loop_activation.hpp"

namespace roadspeed {

std::optional<std::int64_t> LoopDebouncer::active_since() const {
  if (stable_level_) return current_.on_ns;
  return std::nullopt;
}

}  // namespace roadspeed
