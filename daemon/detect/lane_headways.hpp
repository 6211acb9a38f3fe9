// The `tailgate` flag: a vehicle that follows the previous vehicle of its
// lane (detector and direction) by less than a second. Shared by detection's
// output and by radars measured again from the pass journal, so both flag
// alike.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

#include "daemon/detect/vehicle.hpp"

namespace roadspeed {

class LaneHeadways {
 public:
  static constexpr std::int64_t tailgate_headway_ns = 1'000'000'000;

  // Vehicles of a lane in time order.
  void flag(Vehicle& v) {
    const std::size_t lane = 2 * std::size_t{v.detector} + (v.direction == Direction::reverse ? 1 : 0);
    if (lane >= last_ns_.size()) last_ns_.resize(lane + 1, never);
    std::int64_t& last = last_ns_[lane];
    if (last != never && v.t_ns - last < tailgate_headway_ns) v.flags.set(Flag::tailgate);
    last = v.t_ns;
  }

 private:
  static constexpr std::int64_t never = std::numeric_limits<std::int64_t>::min();
  std::vector<std::int64_t> last_ns_;  // the previous vehicle's time, per lane
};

}  // namespace roadspeed
