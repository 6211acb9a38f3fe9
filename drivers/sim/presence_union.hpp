// The physical presence over one loop: the union of every footprint interval
// (and spurious pulse) on it. Two vehicles over the loop at once, one behind
// the other or meeting from both directions, are one long presence, exactly
// as the card sees them.
#pragma once

#include <cstdint>
#include <optional>
#include <queue>
#include <vector>

#include "drivers/sim/card_model.hpp"
#include "drivers/sim/traffic_stream.hpp"

namespace roadspeed::sim {

class PresenceUnion {
 public:
  void add(const Interval& iv) { heap_.push(iv); }
  // Every interval that starts before `horizon_ns` has been added: hands the
  // card every presence transition before it, then lets the card advance.
  void advance(std::int64_t horizon_ns, DetectorCard& card);
  std::size_t queued() const { return heap_.size() + (open_ ? 1 : 0); }

 private:
  struct StartsLater {
    bool operator()(const Interval& a, const Interval& b) const {
      return a.start_ns != b.start_ns ? a.start_ns > b.start_ns : a.end_ns > b.end_ns;
    }
  };
  std::priority_queue<Interval, std::vector<Interval>, StartsLater> heap_;
  std::optional<Interval> open_;  // the presence in progress; its end may still grow
};

}  // namespace roadspeed::sim
