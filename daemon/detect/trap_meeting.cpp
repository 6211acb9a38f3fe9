// LoopTrap, continued: vehicles that met over a trap spanning the road,
// whose presences merged on the loops (docs/detection.md, "Meetings"): two
// vehicles one each way, or three where a follower came close behind, each
// dated from the edges that stayed clean and given a speed only where one
// pair of edges is its own.
#include <algorithm>
#include <cmath>

#include "daemon/detect/loop_trap.hpp"
#include "daemon/detect/trap_limits.hpp"

namespace roadspeed {

using namespace trap_limits;

// Two vehicles, one each way. Where the first one left its first loop before
// the oncoming one reached it (two pieces there, one merged presence on the
// other loop), the first still has a clean leading pair and the oncoming one
// a clean trailing pair: each gives a speed from one pair of edges.
void LoopTrap::emit_meeting(const Cluster& c, std::vector<Vehicle>& out) {
  Vehicle first = cluster_vehicle(c, c.loop, c.own[0].on_ns, Flag::overlap);
  Vehicle oncoming = cluster_vehicle(c, 1 - c.loop, hidden_arrival_ns(c, last_transit_ns_), Flag::overlap);
  // Hidden behind a long first vehicle, it arrived later (trap_long_lead.cpp).
  if (auto t = oncoming_behind_long_lead_ns(c)) oncoming.t_ns = *t;
  if (c.own.size() >= 2 && c.other.size() == 1) {
    const Activation& x1 = c.own.front();
    const Activation& x2 = c.own.back();
    const Activation& y = c.other.front();
    // The first vehicle left the merged presence before it ended.
    const std::int64_t lead_transit = y.on_ns - x1.on_ns;
    if (auto m = single_pair(lead_transit, x1.occupancy_ns()); m && x1.off_ns + lead_transit <= y.off_ns) {
      if (!lead_pair_doubtful(c, m->speed_mps)) {
        set_measurement(first, *m, Flag::lead_only);
        last_transit_ns_ = lead_transit;
        oncoming.t_ns = hidden_arrival_ns(c, lead_transit);
      } else {
        // The merged presence began with the oncoming vehicle's arrival.
        // Which vehicle left it last is then unknown too: no speeds.
        oncoming.t_ns = y.on_ns;
        out.push_back(first);
        out.push_back(oncoming);
        return;
      }
    }
    // The oncoming vehicle's own presence on the merged loop ended it; its
    // front arrived one occupancy earlier, inside the merged presence.
    const std::int64_t oncoming_on = y.off_ns - x2.occupancy_ns();
    const std::int64_t trail_transit = x2.off_ns - y.off_ns;
    const auto trail = single_pair(trail_transit, x2.occupancy_ns());
    if (trail && trail_stretched(trail->speed_mps)) {
      // A later vehicle stretched the last presence on e's loop: neither a
      // speed nor a third vehicle of this cluster; that vehicle shows up on
      // its own (trap_merged.cpp).
    } else if (trail && oncoming_on >= y.on_ns) {
      oncoming.t_ns = oncoming_on;
      set_measurement(oncoming, *trail, Flag::trail_only);
      last_transit_ns_ = trail_transit;
    } else if (trail && oncoming_on >= y.on_ns - occupancy_drift_ns(x2.occupancy_ns(), trail_transit)) {
      // Just before the merged presence began: within what braking and
      // jitter can make of the occupancy. Still the oncoming vehicle, but its
      // trailing pair is not clean enough for a speed.
    } else if (first.flags.has(Flag::lead_only) && !ends_merged_presence(x1, y)) {
      // Someone left the merged presence last: not the first vehicle (it was
      // over that loop for about as long as over its first), nor the oncoming
      // one (that reading leaves no plausible trailing pair). A third vehicle,
      // following the first, did: it arrived where the last piece on the
      // first vehicle's loop began, and the oncoming one is hidden.
      oncoming.t_ns = hidden_between_ns(c, lead_transit);
      out.push_back(first);
      out.push_back(oncoming);
      out.push_back(cluster_vehicle(c, c.loop, x2.on_ns, Flag::overlap));
      return;
    }
  }
  out.push_back(first);
  out.push_back(oncoming);
}

// How much a vehicle's occupancy of its first loop may differ from that of
// its second, `transit_ns` later: the speed changes by at most max_accel over
// the transit, and each of the four edges jitters.
std::int64_t LoopTrap::occupancy_drift_ns(std::int64_t occupancy_ns, std::int64_t transit_ns) const {
  const double transit_s = to_s(transit_ns);
  const double jitter = std::clamp(spread_.jitter_s(), min_jitter_s, max_jitter_s);
  const double drift_s = to_s(occupancy_ns) * max_accel_mps2 * transit_s * transit_s / trap_.spacing_m +
                         consistency_sigmas * jitter * std::sqrt(2.0);
  return to_ns(drift_s);
}

// Could the vehicle measured from its clean presence `x` on its first loop
// have ended the merged presence `y` on its second? At a steady speed it
// occupies both loops equally long; braking at the most normal driving does
// over the transit, card mismatch and jitter may stretch the second.
bool LoopTrap::ends_merged_presence(const Activation& x, const Activation& y) const {
  const double transit_s = to_s(y.on_ns - x.on_ns);
  const double occupancy_s = to_s(x.occupancy_ns());
  const double v = trap_.spacing_m / transit_s;
  const double jitter = std::clamp(spread_.jitter_s(), min_jitter_s, max_jitter_s);
  const double stretch = max_accel_mps2 * transit_s / v + card_mismatch_share +
                         consistency_sigmas * jitter * std::sqrt(2.0) / occupancy_s;
  return to_s(y.occupancy_ns()) <= occupancy_s * (1 + stretch);
}

// e's loop saw two presences too far apart to be one vehicle's (more than a
// hitch gap at the first one's speed), the other loop one merged presence
// that ended last: the second presence is a vehicle following the first,
// and it left the merged presence (the oncoming reading needs the other loop
// to end first). If the first vehicle's share of the merged presence and the
// follower's leave a stretch of it that neither was over, an oncoming
// vehicle filled it: three vehicles. Returns false where the cluster has
// another shape, for the caller's one-vehicle reading.
bool LoopTrap::emit_follower_meeting(const Cluster& c, std::vector<Vehicle>& out) {
  if (c.own.size() != 2 || c.other.size() != 1) return false;
  const Activation& x1 = c.own.front();
  const Activation& x2 = c.own.back();
  const Activation& y = c.other.front();
  const std::int64_t lead_transit = y.on_ns - x1.on_ns;
  const auto lead = single_pair(lead_transit, x1.occupancy_ns());
  if (!lead || x1.off_ns + lead_transit > y.off_ns) return false;
  if (x2.on_ns - x1.off_ns <= hitch_gap_ns(lead->speed_mps)) return false;
  const std::int64_t trail_transit = y.off_ns - x2.off_ns;
  const auto trail = single_pair(trail_transit, x2.occupancy_ns());
  if (!trail) return false;
  Vehicle first = cluster_vehicle(c, c.loop, x1.on_ns, Flag::overlap);
  Vehicle follower = cluster_vehicle(c, c.loop, x2.on_ns, Flag::overlap);
  // Where the first vehicle left the merged presence, and where the follower
  // reached it (its trailing transit before its last edge there).
  const std::int64_t first_leaves = y.on_ns + x1.occupancy_ns() + occupancy_drift_ns(x1.occupancy_ns(), lead_transit);
  const std::int64_t follower_arrives = x2.on_ns + trail_transit - occupancy_drift_ns(x2.occupancy_ns(), trail_transit);
  if (follower_arrives <= first_leaves) return false;  // no room for an oncoming vehicle: not this shape
  set_measurement(first, *lead, Flag::lead_only);
  last_transit_ns_ = lead_transit;
  out.push_back(first);
  out.push_back(cluster_vehicle(c, 1 - c.loop, hidden_between_ns(c, lead_transit), Flag::overlap));
  out.push_back(follower);
  return true;
}

// When the oncoming vehicle of a three-vehicle meeting (the first vehicle,
// a follower whose presence on e's loop is the last piece there, and the
// oncoming one, hidden on both loops) reached its first loop. It reached e's
// loop after the follower did (else a piece of its own would show there), so
// its first loop no earlier than about one transit before; and it kept the
// merged presence on its first loop unbroken after the first vehicle left,
// so no later than the first vehicle left that loop. The middle of that
// interval is the estimate: measured against the simulator's truth, its
// ends were 0.1-0.4 s off, its middle within 0.15 s.
std::int64_t LoopTrap::hidden_between_ns(const Cluster& c, std::int64_t transit_ns) const {
  const Activation& x1 = c.own.front();
  const Activation& x2 = c.own.back();
  const std::int64_t earliest = c.other.front().on_ns + 1;
  const std::int64_t lo = std::max(earliest, x2.on_ns - transit_ns);
  const std::int64_t hi = x1.off_ns + transit_ns;
  return hi <= lo ? lo : lo + (hi - lo) / 2;
}

// The merged presence's start is the first vehicle's arrival on its second
// loop, or the oncoming vehicle's arrival on its first: that one would then
// have reached e's loop at the start of the last piece there, one plausible
// transit later. Where both readings are possible, a leading pair far faster
// than this street's traffic (more than lone_speed_factor times its typical
// speed) is the oncoming vehicle's arrival, not a speed: measured against the
// simulator's truth, such pairs were 70-150 km/h readings of cars at 40.
bool LoopTrap::lead_pair_doubtful(const Cluster& c, double v_mps) const {
  const std::int64_t oncoming_transit = c.own.back().on_ns - c.other.front().on_ns;
  if (oncoming_transit < min_transit_ns_ || oncoming_transit > max_transit_ns_) return false;
  return typical_speed_mps_ > 0 && v_mps > lone_speed_factor * typical_speed_mps_;
}

// When the oncoming vehicle of a meeting reached its first loop (the other
// loop), where no clean pair of edges times it. Its presence on its second
// loop is the last piece on e's loop, if that began after the first vehicle's
// piece ended; it arrived one transit earlier (the first vehicle's, or the
// latest measured: its own speed is not known), inside the other loop's
// presence then under way, and at least the fastest transit before. Without
// such a piece its arrival is somewhere inside the other loop's first
// presence: the start of that presence is the earliest it can be.
std::int64_t LoopTrap::hidden_arrival_ns(const Cluster& c, std::int64_t transit_ns) const {
  const std::int64_t start = c.other.front().on_ns;
  // Too soon after e for the first vehicle: the oncoming one's own arrival.
  if (start - c.own.front().on_ns < min_transit_ns_) return start;
  const Activation& x2 = c.own.back();
  if (c.own.size() < 2 || x2.on_ns <= c.own.front().off_ns || transit_ns <= 0) return start;
  const std::int64_t latest = x2.on_ns - min_transit_ns_;
  const Activation* under_way = nullptr;
  for (const Activation& y : c.other)
    if (y.on_ns <= latest) under_way = &y;
  if (!under_way) return start;
  const std::int64_t earliest = under_way->on_ns + 1;  // strictly after: no tie with the vehicle met
  return std::max(earliest, std::min(latest, x2.on_ns - std::min(transit_ns, max_transit_ns_)));
}

}  // namespace roadspeed
