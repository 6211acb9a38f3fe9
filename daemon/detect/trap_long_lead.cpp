// LoopTrap, continued: a meeting over a trap spanning the road where the
// first vehicle is long (a van or a truck) and the oncoming one met it so
// well inside its presences that each loop saw one presence (docs/detection.md,
// "Meetings": a long first vehicle).
#include <algorithm>
#include <optional>

#include "daemon/detect/loop_trap.hpp"
#include "daemon/detect/trap_limits.hpp"

namespace roadspeed {

using namespace trap_limits;

// When the oncoming vehicle of a meeting that left one presence on each loop
// reached its first loop, where the first vehicle was long enough to hide it.
//
// Otherwise it is dated at the start of the other loop's presence, `y`: right
// where the two arrived at about the same moment, as cars that merge this
// way do (a car's short presence hides nothing for long). Behind a truck that
// was 0.3-1.3 s early, the truck's own arrival on its second loop: the
// oncoming car came later, inside the truck's presence. Here `y` is the
// truck's: its start gives a leading pair at this street's speeds, and its
// length a long footprint. At a steady speed the truck left its first loop
// (e's) one such occupancy after it arrived there; e's presence going on
// beyond that is the oncoming car leaving its second loop: one transit and
// one occupancy (a typical car's, at the typical speed) after it reached its
// first.
//
// The other reading of the same edges: the start of `y` was the oncoming
// vehicle's own arrival, that one is the long one, and e's presence ended one
// transit (its trailing pair) after it left `y`. Where e's presence ended
// less than the fastest plausible transit after `y` did, that reading needs
// `y` held on after the oncoming vehicle left it by the first vehicle: two
// long vehicles meeting. One is taken as likelier than two, and only then is
// the date moved.
std::optional<std::int64_t> LoopTrap::oncoming_behind_long_lead_ns(const Cluster& c) const {
  if (c.own.size() != 1 || c.other.size() != 1 || typical_speed_mps_ <= 0) return std::nullopt;
  const Activation& e = c.own.front();
  const Activation& y = c.other.front();
  // The leading pair is the first vehicle's, at about this street's speeds
  // (far faster: the start of `y` was the oncoming vehicle's own arrival).
  const std::int64_t lead_transit = y.on_ns - e.on_ns;
  if (lead_transit <= 0) return std::nullopt;
  const double v_lead = trap_.spacing_m / to_s(lead_transit);
  if (v_lead < slow_share * typical_speed_mps_ || v_lead > lone_speed_factor * typical_speed_mps_) return std::nullopt;
  // `y` is the first vehicle's presence, and a long one's.
  if (v_lead * to_s(y.occupancy_ns()) - trap_.loop_length_m < long_lead_magnetic_m) return std::nullopt;
  // The first vehicle left e's loop about one occupancy of `y` after it
  // arrived; e's presence lasting clearly longer is the oncoming vehicle's.
  const std::int64_t lead_leaves = e.on_ns + y.occupancy_ns();
  if (e.off_ns - lead_leaves <= occupancy_drift_ns(y.occupancy_ns(), lead_transit)) return std::nullopt;
  // The other reading would need two long vehicles (above).
  const std::int64_t fastest_transit = to_ns(trap_.spacing_m / (lone_speed_factor * typical_speed_mps_));
  if (e.off_ns - y.off_ns >= fastest_transit) return std::nullopt;
  // A typical car at the typical speed, from its first loop's leading edge
  // to leaving its second loop: the spacing, a loop and its own metal.
  const double oncoming_travel_m = trap_.spacing_m + trap_.loop_length_m + typical_car_magnetic_m;
  const std::int64_t estimate = e.off_ns - to_ns(oncoming_travel_m / typical_speed_mps_);
  // Not after the start of `y`: nothing says it came later than that date.
  if (estimate <= y.on_ns) return std::nullopt;
  // It reached e's loop before the first vehicle had left it (at the fastest
  // plausible transit), else e's presence would have broken in two.
  return std::max(y.on_ns + 1, std::min(estimate, lead_leaves - fastest_transit));
}

}  // namespace roadspeed
