// LoopTrap, continued: activations without a consistent partner. A vehicle
// one loop missed, a noise pulse, or vehicles that met over a trap spanning
// the road, whose presences merged on the loops (sorted out in
// trap_meeting.cpp).
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
