// LoopTrap, continued: activations without a consistent partner. A vehicle
// one loop missed, a noise pulse, or vehicles that met over a trap spanning
// the road, whose presences merged on the loops.
#include <algorithm>
#include <cmath>

#include "daemon/detect/classify.hpp"
#include "daemon/detect/footprint.hpp"
#include "daemon/detect/loop_trap.hpp"
#include "daemon/detect/trap_limits.hpp"

namespace roadspeed {

using namespace trap_limits;

// Takes `e`, the pieces of the other loop that overlap it, and the pieces of
// e's loop that overlap those: everything two vehicles meeting over the trap
// can leave, and no more. Pieces beyond belong to the traffic that follows.
LoopTrap::Cluster LoopTrap::take_cluster(int loop, std::size_t index) {
  Cluster c;
  c.loop = loop;
  Piece& e = pending_[loop][index];
  e.consumed = true;
  c.own.push_back(e.act);
  c.chatter = e.act.chatter;
  c.last_loop = loop;
  std::int64_t last_off = e.act.off_ns;
  auto take = [&](Piece& p, std::vector<Activation>& into, int l) {
    p.consumed = true;
    into.push_back(p.act);
    c.chatter = c.chatter || p.act.chatter;
    if (p.act.off_ns > last_off) {
      last_off = p.act.off_ns;
      c.last_loop = l;
    }
  };
  std::int64_t other_end = e.act.off_ns;
  for (Piece& p : pending_[1 - loop]) {
    if (p.act.on_ns >= e.act.off_ns) break;
    if (p.consumed || p.act.off_ns <= e.act.on_ns) continue;
    take(p, c.other, 1 - loop);
    other_end = std::max(other_end, p.act.off_ns);
  }
  if (!c.other.empty())
    for (Piece& p : pending_[loop]) {
      if (p.act.on_ns >= other_end) break;
      if (!p.consumed) take(p, c.own, loop);
    }
  return c;
}

void LoopTrap::emit_unpaired(int loop, std::size_t index, std::vector<Vehicle>& out) {
  const Cluster c = take_cluster(loop, index);
  if (c.other.empty()) {
    emit_lone(c, out);
    return;
  }
  if (!trap_.one_way() && (c.last_loop == loop || !one_vehicle_fits(c))) {
    // The last to leave left over the loop the first arrived on: that loop
    // was its second, so it drove the other way. Or no one vehicle can have
    // made the cluster's first and last edges: two arrived from both sides.
    emit_meeting(c, out);
  } else if (!trap_.one_way() && emit_follower_meeting(c, out)) {
    // Two presences on e's loop too far apart for a hitch, one on the other.
  } else {
    out.push_back(cluster_vehicle(c, loop, c.own[0].on_ns, Flag::implausible));
  }
  hold(c);
}

// The cluster's presences that ended last on each loop are the latest
// decided there: a presence on the other loop begun inside one of them, left
// over alone, is an oncoming vehicle whose arrival merged into it.
void LoopTrap::hold(const Cluster& c) {
  for (const auto* pieces : {&c.own, &c.other}) {
    const int l = pieces == &c.own ? c.loop : 1 - c.loop;
    for (const Activation& a : *pieces)
      if (a.off_ns >= held_[l].off_ns) held_[l] = Activation{a.on_ns, a.off_ns, false};
  }
}

// Could one vehicle have made the cluster's first and last edges: both its
// leading and its trailing pair within the speed limits of physics, the two
// speeds roughly alike, and their disagreement within twice what normal
// driving and card jitter allow (pairing_score's tolerance)? A pass that
// failed the exact test only narrowly is one vehicle; a disagreement far
// beyond it is an oncoming vehicle hidden inside the first one's presences.
bool LoopTrap::one_vehicle_fits(const Cluster& c) const {
  const std::int64_t lead = c.other.front().on_ns - c.own.front().on_ns;
  std::int64_t last_own_off = 0, last_other_off = 0;
  for (const Activation& a : c.own) last_own_off = std::max(last_own_off, a.off_ns);
  for (const Activation& a : c.other) last_other_off = std::max(last_other_off, a.off_ns);
  const std::int64_t trail = last_other_off - last_own_off;
  auto in_range = [&](std::int64_t t) { return t >= min_transit_ns_ && t <= max_transit_ns_; };
  if (!in_range(lead) || !in_range(trail)) return false;
  const double ratio = static_cast<double>(lead) / static_cast<double>(trail);
  if (std::abs(ratio - 1) > one_vehicle_speed_spread) return false;
  const double t_lead = to_s(lead), t_trail = to_s(trail);
  const double midpoint_gap =
      0.5 * to_s((last_own_off + last_other_off) - (c.own.front().on_ns + c.other.front().on_ns));
  const double disagreement = std::abs(trap_.spacing_m / t_trail - trap_.spacing_m / t_lead);
  return disagreement <= one_vehicle_max_disagreement * consistency_tolerance(t_lead, t_trail, midpoint_gap);
}

// One loop saw it. Long enough to be a vehicle, it is counted without a speed.
void LoopTrap::emit_lone(const Cluster& c, std::vector<Vehicle>& out) const {
  const Activation& e = c.own[0];
  // The fastest a lone vehicle is taken to pass: well above this trap's
  // traffic, never above 90 km/h.
  const double fastest_mps = typical_speed_mps_ > 0
                                 ? std::min(fastest_lone_pass_mps, lone_speed_factor * typical_speed_mps_)
                                 : fastest_lone_pass_mps;
  const double shortest_pass_s = (shortest_footprint_m + trap_.loop_length_m) / fastest_mps;
  if (to_s(e.occupancy_ns()) < shortest_pass_s) return;  // noise pulse
  // Begun while the other loop held a vehicle already decided (paired, or
  // part of a meeting): an oncoming vehicle whose first presence merged into
  // that one, now on its second loop. Its arrival is hidden; it is taken one
  // transit of the latest vehicle measured (the one it met, where that has a
  // speed) earlier, and not before the presence it merged into began.
  const Activation& held = held_[1 - c.loop];
  if (!trap_.one_way() && held.on_ns < e.on_ns && e.on_ns < held.off_ns) {
    const std::int64_t transit = last_transit_ns_;
    // Strictly after it began: at the same nanosecond as the vehicle it met,
    // the two rows' order (and which is the tailgater) would be a tie.
    const std::int64_t arrival = std::max(held.on_ns + 1, e.on_ns - std::min(transit, max_transit_ns_));
    out.push_back(cluster_vehicle(c, 1 - c.loop, arrival, Flag::overlap));
    return;
  }
  out.push_back(cluster_vehicle(c, trap_.one_way() ? 0 : c.loop, e.on_ns,
                                trap_.one_way() && c.loop == 1 ? Flag::missed_first : Flag::missed_second));
}

// Two vehicles, one each way. Where the first one left its first loop before
// the oncoming one reached it (two pieces there, one merged presence on the
// other loop), the first still has a clean leading pair and the oncoming one
// a clean trailing pair: each gives a speed from one pair of edges.
void LoopTrap::emit_meeting(const Cluster& c, std::vector<Vehicle>& out) {
  Vehicle first = cluster_vehicle(c, c.loop, c.own[0].on_ns, Flag::overlap);
  Vehicle oncoming = cluster_vehicle(c, 1 - c.loop, hidden_arrival_ns(c, last_transit_ns_), Flag::overlap);
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
    if (trail && oncoming_on >= y.on_ns) {
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

// A vehicle of the cluster, without a speed unless set later: its flag, and
// `chatter` when any of the cluster's pieces bounced.
Vehicle LoopTrap::cluster_vehicle(const Cluster& c, int first_loop, std::int64_t t_ns, Flag why) const {
  Vehicle v = make_vehicle(first_loop, t_ns);
  for (const auto* pieces : {&c.own, &c.other})
    for (const Activation& a : *pieces) v.last_edge_ns = std::max(v.last_edge_ns, a.off_ns);
  v.flags.set(why);
  if (c.chatter) v.flags.set(Flag::chatter);
  return v;
}

// Speed and magnetic length from one pair of edges and one clean occupancy.
std::optional<LoopTrap::Measurement> LoopTrap::single_pair(std::int64_t transit_ns, std::int64_t occupancy_ns) const {
  if (transit_ns < min_transit_ns_ || transit_ns > max_transit_ns_) return std::nullopt;
  const double v = trap_.spacing_m / to_s(transit_ns);
  const double magnetic = v * to_s(occupancy_ns) - trap_.loop_length_m;
  if (magnetic < min_magnetic_length_m || magnetic > max_magnetic_length_m) return std::nullopt;
  return Measurement{v, magnetic};
}

void LoopTrap::set_measurement(Vehicle& v, const Measurement& m, Flag how) const {
  v.speed_kmh = m.speed_mps * 3.6;
  v.length_m = body_length_from_footprint(m.magnetic_length_m);
  v.vehicle_class = classify_length(*v.length_m, classes_);
  v.flags.set(how);
}

}  // namespace roadspeed
