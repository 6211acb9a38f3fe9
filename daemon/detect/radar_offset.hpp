// A lane's offset from the radar, learnt from the traffic itself where the
// site file does not give it (docs/detection.md, "Radar"). The curvature of
// each clean pass's frequency sweep measures the offset; the median of the
// recent passes is robust to the odd accelerating or merged one.
#pragma once

#include <cstddef>
#include <optional>
#include <vector>

namespace roadspeed {

class LaneOffsetEstimate {
 public:
  // So many recent passes make the estimate.
  static constexpr std::size_t window = 31;

  void add(double offset_m);
  // The median of the recent passes; empty before the first.
  std::optional<double> offset_m() const;
  std::size_t passes() const { return recent_.size(); }

 private:
  std::vector<double> recent_;  // a ring of the last `window` estimates
  std::size_t next_ = 0;
};

}  // namespace roadspeed
