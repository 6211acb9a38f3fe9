// LoopTrap, continued: deciding a pass as soon as its outcome is settled.
//
// readiness() waits until every piece that could pair with the earliest one
// has had time to arrive: its partner window reaches to the slowest speed
// physics allows (3 km/h: seconds on a 3 m trap). Yet best_pairing() takes
// the FIRST partner that fits, and pieces arrive in time order on each loop,
// so once a fitting partner is there, later pieces can only change the
// outcome by joining one of the two presences (a hitch) — and a hitch gap is
// short. The pairing is settled once no piece can still join either
// presence. On a trap spanning the road, a pass that may hide an oncoming
// vehicle is left to readiness(): that test looks further ahead. The result
// is the one readiness() would give, only sooner (docs/detection.md,
// "When a vehicle is decided").
#include <algorithm>

#include "daemon/detect/loop_trap.hpp"
#include "daemon/detect/trap_limits.hpp"

namespace roadspeed {

using namespace trap_limits;

// Until when a piece not seen yet could still join `chain` (the longest
// grouping from its first piece) across a gap of at most `max_gap_ns`;
// nullopt when none can: the chain is full, or the next piece is already
// here and did not join.
std::optional<std::int64_t> LoopTrap::joinable_until(const Group& chain, std::int64_t max_gap_ns) const {
  if (chain.count >= max_group_pieces || chain.longest_gap_ns > max_gap_ns) return std::nullopt;
  if (chain.first + chain.count < pending_[chain.loop].size()) return std::nullopt;
  return chain.off_ns + max_gap_ns;
}

LoopTrap::Settled LoopTrap::settled_pairing(int loop) const {
  auto p = best_pairing(loop, 0);
  if (!p || oncoming_suspect(*p) || arrival_merged(*p)) return {};
  const Group& a = p->lead_loop;
  const Group& b = p->trail_loop;
  const std::int64_t gap = hitch_gap_ns(trap_.spacing_m / to_s(b.on_ns - a.on_ns));
  // The longest groupings best_pairing() looked at from each presence.
  const Groups owns = groups_from(a.loop, a.first, join_window_ns);
  const Groups others = groups_from(b.loop, b.first, gap);
  const Group& own = owns.options[owns.count - 1];
  const Group& other = others.options[others.count - 1];
  // The oncoming test looks at first-loop pieces begun before b ends.
  std::int64_t own_until = b.off_ns;
  if (auto t = joinable_until(own, std::min(gap, join_window_ns))) own_until = std::max(own_until, *t);
  const auto other_until = joinable_until(other, gap);
  // A presence still open began after every piece seen on its loop: it is
  // the next piece, and may join.
  if (auto open = unfinished_presence_ns(a.loop); open && *open <= own_until) return {std::nullopt, *open + max_presence_ns};
  if (auto open = unfinished_presence_ns(b.loop); open && other_until && *open <= *other_until)
    return {std::nullopt, *open + max_presence_ns};
  const std::int64_t settles = std::max(own_until, other_until.value_or(own_until));
  // A piece beginning at `settles` itself could still join.
  if (now_ns_ <= settles) return {std::nullopt, settles + 1};
  return {p, settles};
}

}  // namespace roadspeed
