#include "daemon/detect/radar_offset.hpp"

#include <algorithm>

namespace roadspeed {

void LaneOffsetEstimate::add(double offset_m) {
  if (recent_.size() < window) {
    recent_.push_back(offset_m);
  } else {
    recent_[next_] = offset_m;
  }
  next_ = (next_ + 1) % window;
}

std::optional<double> LaneOffsetEstimate::offset_m() const {
  if (recent_.empty()) return std::nullopt;
  std::vector<double> sorted = recent_;
  const auto mid = sorted.begin() + static_cast<std::ptrdiff_t>(sorted.size() / 2);
  std::nth_element(sorted.begin(), mid, sorted.end());
  return *mid;
}

}  // namespace roadspeed
