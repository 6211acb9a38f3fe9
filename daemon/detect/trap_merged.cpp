// LoopTrap, continued: on a trap spanning the road, a presence that begins
// while the other loop still holds a vehicle already decided may be an
// oncoming vehicle on its SECOND loop, its arrival on the first merged into
// that vehicle's presence (docs/detection.md, "Meetings").
#include <algorithm>

#include "daemon/detect/loop_trap.hpp"
#include "daemon/detect/trap_limits.hpp"

namespace roadspeed {

using namespace trap_limits;

// Such a presence still finds a "partner" now and then: the next vehicle's
// presence on the other loop, seconds later, read as a crawling vehicle in
// the other direction. A genuine vehicle beginning there (a follower of the
// decided one, close behind it) pairs at the street's speed; a pairing
// slower than slow_share of the typical speed is the merged arrival.
// Measured against the simulator's truth (villa street, seed 2), all five
// such pairings were 10-19 km/h readings of the oncoming vehicle of a meeting,
// dated about a second late in the wrong direction.
bool LoopTrap::arrival_merged(const Pairing& p) const {
  if (trap_.one_way() || typical_speed_mps_ <= 0) return false;
  const Group& a = p.lead_loop;
  const Activation& held = held_[1 - a.loop];
  if (!(held.on_ns < a.on_ns && a.on_ns < held.off_ns)) return false;
  // A follower drives about the speed of the vehicle it follows (the latest
  // measured): a slow platoon stays a platoon.
  const double v = trap_.spacing_m / to_s(p.trail_loop.on_ns - a.on_ns);
  const double v_latest = last_transit_ns_ > 0 ? trap_.spacing_m / to_s(last_transit_ns_) : typical_speed_mps_;
  // Its arrival on the held loop was at least one plausible transit earlier
  // (not faster than lone_speed_factor times the typical speed): else the
  // presence began with its own vehicle's arrival, as the held one did.
  const std::int64_t fastest_transit = to_ns(trap_.spacing_m / (lone_speed_factor * typical_speed_mps_));
  return v < slow_share * typical_speed_mps_ && a.on_ns - held.on_ns >= fastest_transit &&
         v < follower_speed_share * v_latest;
}

// The presence alone, as a lone one begun inside the held presence: the
// oncoming vehicle, dated one transit before it (emit_lone).
void LoopTrap::emit_merged_arrival(const Group& g, std::vector<Vehicle>& out) {
  Cluster c;
  c.loop = g.loop;
  c.last_loop = g.loop;
  for (std::size_t k = 0; k < g.count; ++k) {
    const Activation& a = pending_[g.loop][g.first + k].act;
    c.own.push_back(a);
    c.chatter = c.chatter || a.chatter;
  }
  consume(g);
  emit_lone(c, out);
}

// A meeting's oncoming vehicle left the merged presence on its first loop,
// then the last presence on its second (e's loop): the trailing pair that
// times it. Far slower than the street's traffic (slow_share of the typical
// speed), that last presence went on after it left: a later vehicle, the
// next oncoming one or a follower, reached the loop before it was free, and
// its departure is not the oncoming vehicle's. Measured against the truth
// (villa street, seed 2), such `trail_only` pairs read 13-17 km/h for cars
// at 28-35, dated 0.4-0.5 s before their arrival.
bool LoopTrap::trail_stretched(double v_trail_mps) const {
  return typical_speed_mps_ > 0 && v_trail_mps < slow_share * typical_speed_mps_;
}

}  // namespace roadspeed
