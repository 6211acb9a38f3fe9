#include "daemon/detect/loop_trap.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "daemon/detect/classify.hpp"
#include "daemon/detect/footprint.hpp"
#include "daemon/detect/trap_limits.hpp"

namespace roadspeed {
using namespace trap_limits;

LoopTrap::LoopTrap(const Trap& trap, const LengthClasses& classes, std::uint16_t detector, bool decide_early)
    : trap_(trap),
      classes_(classes),
      detector_(detector),
      spread_(trap.spacing_m),
      decide_early_(decide_early),
      max_transit_ns_(to_ns(trap.spacing_m / min_speed_mps)),
      min_transit_ns_(to_ns(trap.spacing_m / max_speed_mps)) {}

void LoopTrap::push(int loop, std::int64_t t_ns, bool level, std::vector<Vehicle>& out) {
  PieceSink pieces{*this, loop};
  const bool taken = loops_[loop].push(t_ns, level, pieces);
  now_ns_ = std::max(now_ns_, t_ns);
  // A burst this edge began cannot have closed yet: only a repeated level
  // leaves this loop's time to be told.
  if (!taken) loops_[loop].advance_to(now_ns_, pieces);
  advance_loop(1 - loop);
  decide_if_due(out);
}

void LoopTrap::advance_to(std::int64_t t_ns, std::vector<Vehicle>& out) {
  now_ns_ = std::max(now_ns_, t_ns);
  advance_loop(0);
  advance_loop(1);
  decide_if_due(out);
}

void LoopTrap::advance_loop(int loop) {
  PieceSink pieces{*this, loop};
  loops_[loop].advance_to(now_ns_, pieces);
}

void LoopTrap::decide_if_due(std::vector<Vehicle>& out) {
  // Nothing can be decided before the earliest piece's partner window and
  // join window have passed, nor while the presence it waits for is open:
  // skip the work on most edges.
  if (now_ns_ >= next_decision_ns_ || (decide_early_ && fresh_pieces_) || (awaited_.loop >= 0 && awaited_ended()))
    decide(now_ns_, out, false);
}

void LoopTrap::finish(std::vector<Vehicle>& out) {
  for (int loop = 0; loop < 2; ++loop) {
    PieceSink pieces{*this, loop};
    loops_[loop].advance_to(std::numeric_limits<std::int64_t>::max(), pieces);
  }
  decide(now_ns_, out, true);
}

void LoopTrap::take_activation(int loop, const Activation& a) {
  if (a.occupancy_ns() > max_presence_ns) return;
  pending_[loop].push_back(Piece{a});
  fresh_pieces_ = true;
}

std::int64_t LoopTrap::horizon_ns() const {
  std::int64_t h = now_ns_;
  for (int loop = 0; loop < 2; ++loop) {
    for (const Piece& p : pending_[loop])
      if (!p.consumed) {
        h = std::min(h, p.act.on_ns);
        break;
      }
    if (auto t = unfinished_presence_ns(loop)) h = std::min(h, *t);
  }
  // On a two-way trap an oncoming vehicle seen only on its second loop is
  // dated before that presence began, but after the decided presence it
  // merged into began (emit_lone): one still there when the next piece can
  // begin holds the horizon back.
  if (!trap_.one_way())
    for (const Activation& held : held_)
      if (held.off_ns > h) h = std::min(h, held.on_ns);
  return h;
}

std::int64_t LoopTrap::next_wakeup_ns() const {
  std::int64_t t = std::numeric_limits<std::int64_t>::max();
  for (int loop = 0; loop < 2; ++loop) {
    if (auto closes = loops_[loop].burst_closes_ns()) t = std::min(t, *closes);
    if (!pending_[loop].empty()) t = std::min(t, next_decision_ns_);
  }
  return t;
}

bool LoopTrap::idle() const {
  for (int loop = 0; loop < 2; ++loop) {
    if (loops_[loop].earliest_pending_ns()) return false;
    for (const Piece& p : pending_[loop])
      if (!p.consumed) return false;
  }
  return true;
}

// Start of the presence a loop has not finished yet, if any. One longer than
// any pass is stuck, not a vehicle to wait for.
std::optional<std::int64_t> LoopTrap::unfinished_presence_ns(int loop) const {
  auto t = loops_[loop].earliest_pending_ns();
  if (t && now_ns_ - *t >= max_presence_ns) return std::nullopt;
  return t;
}

void LoopTrap::drop_consumed() {
  for (auto& q : pending_)
    while (!q.empty() && q.front().consumed) q.pop_front();
}

void LoopTrap::decide(std::int64_t now_ns, std::vector<Vehicle>& out, bool final) {
  awaited_ = OpenPresence{};
  fresh_pieces_ = false;
  for (;;) {
    drop_consumed();
    if (pending_[0].empty() && pending_[1].empty()) return;
    int loop = 0;
    if (pending_[0].empty() ||
        (!pending_[1].empty() && pending_[1].front().act.on_ns < pending_[0].front().act.on_ns))
      loop = 1;
    if (!final) {
      const Readiness r = readiness(pending_[loop].front());
      // Member by member: a whole copy stalled on the fields just written.
      awaited_.loop = r.awaited.loop;
      awaited_.since_ns = r.awaited.since_ns;
      if (now_ns < r.not_before_ns) {
        // Most passes find their partner long before every slower one
        // could have arrived: take it as soon as nothing can change it.
        Settled s = decide_early_ ? settled_pairing(loop) : Settled{};
        if (s.pairing) {
          emit_pairing(*s.pairing, out);
          continue;
        }
        next_decision_ns_ = std::min(r.not_before_ns, s.settles_ns);
        return;
      }
    }
    decide_one(loop, 0, out);
  }
}

// Every piece that could pair or join with `e` must have been seen, closed.
// Pieces that close later begin after the join window, so only a presence
// still open can move the time found here; it moves it when it closes (a
// new piece) or when it has lasted long enough to count as stuck.
LoopTrap::Readiness LoopTrap::readiness(const Piece& e) const {
  const std::int64_t deadline = e.act.on_ns + max_transit_ns_;
  std::int64_t latest_off = e.act.off_ns;
  for (int loop = 0; loop < 2; ++loop) {
    if (auto open = unfinished_presence_ns(loop); open && *open <= deadline + join_window_ns)
      return Readiness{*open + max_presence_ns, OpenPresence{loop, *open}};
    for (const Piece& p : pending_[loop]) {
      if (p.act.on_ns > deadline) break;
      latest_off = std::max(latest_off, p.act.off_ns);
    }
  }
  return Readiness{std::max(latest_off, deadline) + join_window_ns, OpenPresence{}};
}

// The presence readiness() waited for has ended (a piece, or a noise pulse
// that left none) or given way to another.
bool LoopTrap::awaited_ended() const {
  return loops_[awaited_.loop].earliest_pending_ns() != awaited_.since_ns;
}

void LoopTrap::decide_one(int loop, std::size_t index, std::vector<Vehicle>& out) {
  auto p = best_pairing(loop, index);
  if (p && arrival_merged(*p)) {
    emit_merged_arrival(p->lead_loop, out);
  } else if (p && !hides_oncoming(*p)) {
    emit_pairing(*p, out);
  } else {
    emit_unpaired(loop, index, out);
  }
}

// On a trap spanning the road, a consistent-looking pairing can borrow its
// trailing edge from an oncoming vehicle that joined the second loop's
// presence. The sign: a presence on the first loop that begins while the
// second loop is still occupied, after the vehicle left the first loop, and
// that no vehicle in this direction can explain, while the second loop's
// presence lasts clearly longer than the first's. It is the oncoming
// vehicle's second loop; the pass is a meeting.
bool LoopTrap::hides_oncoming(const Pairing& p) {
  // Asked here first, not only in oncoming_suspect(): its inlined empty
  // answer was copied through memory on every pass (perf).
  if (trap_.one_way()) return false;
  const auto z = oncoming_suspect(p);
  if (!z) return false;
  // Would z lead a vehicle of its own, with this pairing's pieces taken?
  consume(p.lead_loop);
  consume(p.trail_loop);
  const bool explained = best_pairing(p.lead_loop.loop, *z).has_value();
  release(p.lead_loop);
  release(p.trail_loop);
  return !explained;
}

// The first-loop piece that may be the oncoming vehicle's, if any.
std::optional<std::size_t> LoopTrap::oncoming_suspect(const Pairing& p) const {
  if (trap_.one_way()) return std::nullopt;
  const Group& a = p.lead_loop;
  const Group& b = p.trail_loop;
  // The borrowed trailing edge stretches the second loop's presence.
  constexpr double stretch = 1.1;
  if (static_cast<double>(b.off_ns - b.on_ns) < stretch * static_cast<double>(a.off_ns - a.on_ns)) return std::nullopt;
  const auto& own = pending_[a.loop];
  for (std::size_t z = a.first + a.count; z < own.size(); ++z) {
    if (own[z].act.on_ns >= b.off_ns) break;
    if (own[z].consumed || own[z].act.on_ns <= a.off_ns) continue;
    return z;
  }
  return std::nullopt;
}

LoopTrap::Groups LoopTrap::groups_from(int loop, std::size_t index, std::int64_t max_gap_ns) const {
  const auto& q = pending_[loop];
  Groups groups;
  // Each option written field by field from locals: building one Group and
  // copying it whole stalled on reading back its just-written fields (a
  // fifth of analyze's time in this function, by perf).
  std::int64_t off = q[index].act.off_ns, longest_gap = 0;
  bool chatter = q[index].act.chatter;
  for (std::size_t j = index;;) {
    Group& g = groups.options[groups.count++];
    g.loop = loop;
    g.first = index;
    g.count = groups.count;
    g.on_ns = q[index].act.on_ns;
    g.off_ns = off;
    g.longest_gap_ns = longest_gap;
    g.chatter = chatter;
    if (++j >= q.size() || groups.count == groups.options.size()) break;
    const Piece& next = q[j];
    const std::int64_t gap = next.act.on_ns - off;
    if (next.consumed || gap > max_gap_ns) break;
    longest_gap = std::max(longest_gap, gap);
    off = next.act.off_ns;
    chatter = chatter || next.act.chatter;
  }
  return groups;
}

std::optional<LoopTrap::Pairing> LoopTrap::best_pairing(int loop, std::size_t index) const {
  const int other = 1 - loop;
  const std::int64_t on = pending_[loop][index].act.on_ns;
  const Groups firsts = groups_from(loop, index, join_window_ns);
  const double longest_first_s = to_s(firsts.options[firsts.count - 1].off_ns - on);
  // The best so far kept in parts, the Pairing made once at the end: an
  // optional<Pairing> here was cleared and copied whole on every call, which
  // stalled on its just-written fields (perf).
  const Group* best_first = nullptr;
  Group best_second{};
  double best_score = 0;
  bool skipped = false;  // a presence on the second loop came first and did not fit
  for (std::size_t j = 0; j < pending_[other].size(); ++j) {
    const Piece& y = pending_[other][j];
    if (y.act.on_ns < on + min_transit_ns_ || y.consumed) continue;
    const double v_lead = trap_.spacing_m / to_s(y.act.on_ns - on);
    // Later partners mean lower speeds and shorter footprints: once even
    // the longest grouping is too short for a vehicle, so is every later one.
    if (y.act.on_ns > on + max_transit_ns_ ||
        lead_speed_slack * v_lead * longest_first_s - trap_.loop_length_m < min_magnetic_length_m)
      break;
    // Joins do not move the leading edges, so the leading pair's speed
    // already rules out joins across gaps too long to be a hitch.
    const std::int64_t max_gap = hitch_gap_ns(v_lead);
    for (const Group& second : groups_from(other, j, max_gap))
      for (const Group& first : firsts) {
        if (first.longest_gap_ns > max_gap) break;
        if (auto score = pairing_score(first, second); score && (!best_first || *score < best_score)) {
          best_first = &first;
          best_second = second;
          best_score = *score;
        }
      }
    // The vehicle's own presence on the second loop is the first one after
    // it that fits: later ones belong to the traffic that follows, and a
    // slow, consistent-looking pairing with one of them is a coincidence.
    if (best_first) break;
    skipped = true;
  }
  if (!best_first) return std::nullopt;
  // Passing over a presence that did not fit to pair with a later one gives
  // a low speed; far below the trap's traffic, that is the pieces of a
  // meeting pairing by coincidence, not a crawling vehicle.
  if (skipped && typical_speed_mps_ > 0 &&
      trap_.spacing_m / to_s(best_second.on_ns - best_first->on_ns) < slow_share * typical_speed_mps_)
    return std::nullopt;
  return Pairing{*best_first, best_second, best_score};
}

// Lower is better; nullopt when the two groups cannot be one vehicle. The
// cheap tests come first: most candidates are other vehicles.
std::optional<double> LoopTrap::pairing_score(const Group& first, const Group& second) const {
  const double t_lead = to_s(second.on_ns - first.on_ns);
  const double t_trail = to_s(second.off_ns - first.off_ns);
  const double t_min = to_s(min_transit_ns_), t_max = to_s(max_transit_ns_);
  if (t_lead < t_min || t_lead > t_max || t_trail < t_min || t_trail > t_max) return std::nullopt;
  const double v_lead = trap_.spacing_m / t_lead, v_trail = trap_.spacing_m / t_trail;
  const double v = 0.5 * (v_lead + v_trail);
  if (!plausible_footprint(first, v) || !plausible_footprint(second, v)) return std::nullopt;

  const double midpoint_gap = 0.5 * to_s((first.off_ns + second.off_ns) - (first.on_ns + second.on_ns));
  const double tolerance = consistency_tolerance(t_lead, t_trail, midpoint_gap);
  const double disagreement = std::abs(v_trail - v_lead);
  if (disagreement > tolerance) return std::nullopt;
  if (!splits_agree(first, second, 0.5 * (t_lead + t_trail), tolerance / v)) return std::nullopt;
  const auto joins = static_cast<double>(first.count + second.count - 2);
  return disagreement / tolerance - join_bonus * joins;
}

// How far the leading and trailing pairs' speeds of one vehicle may differ:
// what it may have accelerated between the two pairs (their midpoints
// `midpoint_gap_s` apart), four standard deviations of the learnt card
// jitter, and the share unequal card delays add.
double LoopTrap::consistency_tolerance(double t_lead_s, double t_trail_s, double midpoint_gap_s) const {
  const double v = 0.5 * (trap_.spacing_m / t_lead_s + trap_.spacing_m / t_trail_s);
  const double jitter = std::clamp(spread_.jitter_s(), min_jitter_s, max_jitter_s);
  const double noise = v * jitter * std::sqrt(2 * (1 / (t_lead_s * t_lead_s) + 1 / (t_trail_s * t_trail_s)));
  return max_accel_mps2 * midpoint_gap_s + consistency_sigmas * noise + card_mismatch_share * v;
}

// The group's presence, at speed v, is metal of a vehicle's size; each piece
// is metal crossing the whole loop, so it lasts at least as long as the loop
// takes to pass; a piece before a gap is long enough to tow; the gaps are
// short enough to be a hitch.
bool LoopTrap::plausible_footprint(const Group& g, double v) const {
  const double magnetic = v * to_s(g.off_ns - g.on_ns) - trap_.loop_length_m;
  if (magnetic < min_magnetic_length_m || magnetic > max_magnetic_length_m) return false;
  if (g.count == 1) return true;
  if (v * to_s(g.longest_gap_ns) > hitch_max_gap_m) return false;
  for (std::size_t k = 0; k < g.count; ++k) {
    const double piece_m = v * to_s(pending_[g.loop][g.first + k].act.occupancy_ns()) - trap_.loop_length_m;
    if (piece_m < (k + 1 < g.count ? min_towing_magnetic_m : min_magnetic_length_m)) return false;
  }
  return true;
}

// A presence split on both loops must split at the same place on the
// vehicle: each inner edge on the second loop follows its twin on the first
// by the transit time. Otherwise the pieces are different vehicles.
bool LoopTrap::splits_agree(const Group& first, const Group& second, double transit_s, double rel_tol) const {
  if (first.count == 1 || second.count == 1) return true;
  if (first.count != second.count) return false;
  const auto& a = pending_[first.loop];
  const auto& b = pending_[second.loop];
  for (std::size_t k = 0; k + 1 < first.count; ++k) {
    const double dt_off = to_s(b[second.first + k].act.off_ns - a[first.first + k].act.off_ns);
    const double dt_on = to_s(b[second.first + k + 1].act.on_ns - a[first.first + k + 1].act.on_ns);
    for (double dt : {dt_off, dt_on})
      if (std::abs(dt - transit_s) > rel_tol * transit_s) return false;
  }
  return true;
}

void LoopTrap::emit_pairing(const Pairing& p, std::vector<Vehicle>& out) {
  const Group& a = p.lead_loop;
  const Group& b = p.trail_loop;
  PassTiming timing;
  timing.transit_lead_s = to_s(b.on_ns - a.on_ns);
  timing.transit_trail_s = to_s(b.off_ns - a.off_ns);
  timing.midpoint_gap_s = 0.5 * to_s((a.off_ns + b.off_ns) - (a.on_ns + b.on_ns));
  spread_.observe(timing);
  const double v = spread_.speed(timing);
  // Occupancy is timed over the whole pass: the mean of both pairs' speeds
  // is the vehicle's speed at mid-occupancy.
  const double v_mid = 0.5 * (trap_.spacing_m / timing.transit_lead_s + trap_.spacing_m / timing.transit_trail_s);
  const double magnetic = v_mid * 0.5 * to_s((a.off_ns - a.on_ns) + (b.off_ns - b.on_ns)) - trap_.loop_length_m;

  Vehicle veh = make_vehicle(a.loop, a.on_ns);
  veh.last_edge_ns = std::max(a.off_ns, b.off_ns);
  veh.speed_kmh = v * 3.6;
  veh.length_m = body_length_from_footprint(magnetic);
  veh.vehicle_class = classify_length(*veh.length_m, classes_);
  if (a.chatter || b.chatter) veh.flags.set(Flag::chatter);
  if (a.count > 1 || b.count > 1) veh.flags.set(Flag::split);
  consume(a);
  consume(b);
  held_[a.loop] = Activation{a.on_ns, a.off_ns, false};
  held_[b.loop] = Activation{b.on_ns, b.off_ns, false};
  last_transit_ns_ = b.on_ns - a.on_ns;
  typical_speed_mps_ = typical_speed_mps_ == 0 ? v : typical_speed_mps_ + typical_speed_weight * (v - typical_speed_mps_);
  out.push_back(veh);
}

void LoopTrap::consume(const Group& g) {
  for (std::size_t i = 0; i < g.count; ++i) pending_[g.loop][g.first + i].consumed = true;
}

void LoopTrap::release(const Group& g) {
  for (std::size_t i = 0; i < g.count; ++i) pending_[g.loop][g.first + i].consumed = false;
}

// A vehicle whose first loop met is `first_loop` (0: `first`, travelling forward).
Vehicle LoopTrap::make_vehicle(int first_loop, std::int64_t t_ns) const {
  Vehicle v;
  v.t_ns = t_ns;
  v.detector = detector_;
  v.direction = Direction::forward;
  if (first_loop == 1) {
    if (trap_.one_way())
      v.flags.set(Flag::wrong_way);
    else
      v.direction = Direction::reverse;
  }
  return v;
}

}  // namespace roadspeed
