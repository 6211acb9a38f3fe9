// A lane's offset from the radar, learnt from the traffic itself where the
// site file does not give it (docs/detection.md, "Radar"). The shape of a
// pass's frequency sweep depends on the offset; the offset that lets the
// model (speed, acceleration, position per pass) fit the recent clean passes
// best is the estimate. Refitted after 1, 2, 4 ... 64 passes, then every 64.
#pragma once

#include <cstddef>
#include <optional>
#include <vector>

#include "daemon/detect/radar_geometry.hpp"

namespace roadspeed {

class LaneOffsetEstimate {
 public:
  // So many recent passes make the estimate.
  static constexpr std::size_t window = 64;

  // A clean pass's sweep under model `m` (its offset_m is ignored).
  void add(const SweepModel& m, std::vector<SweepSample> samples);
  // Empty before the first pass.
  std::optional<double> offset_m() const { return offset_m_; }
  std::size_t passes() const { return added_; }

 private:
  void refit();
  double misfit(double offset_m) const;

  SweepModel model_;
  std::vector<std::vector<SweepSample>> recent_;  // a ring of the last `window` passes
  std::size_t next_ = 0;
  std::size_t added_ = 0;
  std::optional<double> offset_m_;
};

}  // namespace roadspeed
