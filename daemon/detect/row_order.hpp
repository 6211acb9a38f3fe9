// The interface's row order for a site's vehicles: by time, ties by
// detector id, then direction name. Shared by detection's own output and by
// analyze's merge of detectors run on threads of their own, so both order
// alike.
#pragma once

#include <cstdint>
#include <vector>

#include "daemon/detect/vehicle.hpp"
#include "daemon/site/site.hpp"

namespace roadspeed {

class RowOrder {
 public:
  explicit RowOrder(const Site& site);

  // The position of a vehicle's lane (detector, direction) among the
  // site's lanes sorted by detector id, then direction name. Every lane has
  // its own rank, so rows of different lanes never tie.
  int rank(const Vehicle& v) const { return lane_rank_[2 * std::size_t{v.detector} + (v.direction == Direction::reverse)]; }

  // A row of time `a_ns` on lane rank `a_rank` comes after one of `b_ns`, `b_rank`.
  static bool later(std::int64_t a_ns, int a_rank, std::int64_t b_ns, int b_rank) {
    if (a_ns != b_ns) return a_ns > b_ns;
    return a_rank > b_rank;
  }

 private:
  std::vector<int> lane_rank_;  // per lane, 2 * detector + (reverse)
};

}  // namespace roadspeed
