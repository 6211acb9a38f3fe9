#include "daemon/detect/loop_activation.hpp"

namespace roadspeed {

void LoopDebouncer::close_burst(std::vector<Activation>& out) {
  in_burst_ = false;
  const bool bounced = burst_edges_ > 1;
  if (burst_level_ != stable_level_) {
    stable_level_ = burst_level_;
    if (stable_level_) {
      current_ = Activation{burst_first_ns_, 0, bounced};
    } else {
      current_.off_ns = burst_first_ns_;
      current_.chatter = current_.chatter || bounced;
      out.push_back(current_);
    }
  } else if (stable_level_) {
    current_.chatter = true;  // a dropout shorter than the burst gap
  } else {
    ++noise_pulses_;
  }
}

std::optional<std::int64_t> LoopDebouncer::active_since() const {
  if (stable_level_) return current_.on_ns;
  return std::nullopt;
}

}  // namespace roadspeed
