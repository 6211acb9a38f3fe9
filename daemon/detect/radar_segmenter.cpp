#include "daemon/detect/radar_segmenter.hpp"

#include <algorithm>
#include <array>
#include <cmath>

namespace roadspeed {
namespace {

// Strong blocks may be missing for this long inside one pass (a burst of
// missed cycles), at least; at low frequencies, for this many cycles.
constexpr std::int64_t min_gap_ns = 30'000'000;
constexpr double gap_cycles = 32;
// An oncoming vehicle's stronger return may hide another for this long
// after its last block (however long the oncoming return lasts).
constexpr std::int64_t max_occlusion_ns = 1'500'000'000;
// The frequency tolerance grows by this much per second of occlusion.
constexpr double occlusion_slack_per_s = 0.04;
// The sweep's trend is taken over this many blocks to bridge an occlusion.
constexpr std::size_t trend_blocks = 6;
// A hand-over: at least this many weak blocks (most cycles missed) between
// full ones (nearly every cycle caught).
constexpr std::size_t dip_blocks = 1;
constexpr double weak_fill = 0.75;
constexpr double full_fill = 0.9;
// Before the dip, the pass must have been seen in full: not just its fringe.
constexpr std::size_t min_full_blocks = 3;
// Deviations this close are a tie.
constexpr double near_tie = 0.005;
// So many segments may be open at once (two lanes, a hand-over in each).
constexpr std::size_t max_open = 4;

bool same_way(int a, int b) { return a == 0 || b == 0 || (a > 0) == (b > 0); }

}  // namespace

std::int64_t RadarSegmenter::max_gap_ns(const RadarSegment& s) {
  const double cycles_ns = gap_cycles / s.blocks.back().f_hz * 1e9;
  return std::max(min_gap_ns, static_cast<std::int64_t>(cycles_ns));
}

// The median frequency of `count` blocks ending `back` blocks from the end.
double median_hz(const RadarSegment& s, std::size_t back, std::size_t count, std::int64_t& mid_ns) {
  std::array<double, 3> f{};
  std::array<std::int64_t, 3> t{};
  const std::size_t n = std::min({count, f.size(), s.blocks.size() - back});
  for (std::size_t i = 0; i < n; ++i) {
    const RadarBlock& b = s.blocks[s.blocks.size() - 1 - back - i];
    f[i] = b.f_hz;
    t[i] = b.mid_ns();
  }
  std::sort(f.begin(), f.begin() + static_cast<std::ptrdiff_t>(n));
  std::sort(t.begin(), t.begin() + static_cast<std::ptrdiff_t>(n));
  mid_ns = t[n / 2];
  return f[n / 2];
}

// Blocks since the segment was last hidden (a longer gap than a pass shows
// on its own); all of them if it never was.
std::size_t blocks_since_hidden(const RadarSegment& s, std::int64_t max_gap) {
  for (std::size_t k = s.blocks.size() - 1; k > 0; --k)
    if (s.blocks[k].first_ns - s.blocks[k - 1].last_ns > max_gap) return s.blocks.size() - k;
  return s.blocks.size();
}

// The frequency the segment's sweep has reached at `t_ns`: the median of its
// last three blocks, carried on along the trend from the median of the three
// before them. Medians throughout: one odd block steers nothing. Just after
// a hidden stretch, only the blocks since then are recent: the sweep moved on
// while the segment was hidden, and the trend comes from the blocks before
// (over the hidden stretch, a long and so steady baseline).
double RadarSegmenter::predicted_hz(const RadarSegment& s, std::int64_t t_ns) {
  std::int64_t recent_ns = 0, earlier_ns = 0;
  // A young segment: its last two blocks give the trend.
  const std::size_t half = s.blocks.size() < trend_blocks ? 1 : trend_blocks / 2;
  const std::size_t recent_count = std::min(half, blocks_since_hidden(s, max_gap_ns(s)));
  const double recent = median_hz(s, 0, recent_count, recent_ns);
  if (s.blocks.size() < 2) return recent;
  const double earlier = median_hz(s, recent_count, half, earlier_ns);
  const auto span_ns = static_cast<double>(recent_ns - earlier_ns);
  const double slope = span_ns > 0 ? (recent - earlier) / span_ns : 0.0;
  return recent + slope * static_cast<double>(t_ns - recent_ns);
}

// A gap a pass shows on its own; hidden, the same gap after the oncoming
// return that hid it, up to the longest occlusion.
std::int64_t RadarSegmenter::open_until_ns(const RadarSegment& s) {
  const std::int64_t own = s.last_ns() + max_gap_ns(s);
  return std::max(own, std::min(s.last_ns() + max_occlusion_ns, s.hidden_until_ns));
}

// `oncoming` has just taken a block: every open segment of the other
// direction is still within its gap, or hidden already (it would have
// closed otherwise), so its return vanished while the oncoming one was
// there and may be hidden by it: it may continue up to its gap after this
// block, as if the oncoming blocks were its own. Whether it is hidden depends on the blocks
// only: not on whether `oncoming` is still open later, nor on when time
// was told. (Holding it open for the whole 1.5 s instead let a hidden pass
// take up the next vehicle of its direction, at constant angle the same
// tone: precision in line fell to 98.74-99.05 %; holding it only while the
// oncoming blocks last lost the passes that reappear just after, as the
// daemon's schedule did before: 98.59 % beside the road. docs/accuracy.md.)
void RadarSegmenter::mark_hidden_by(const RadarSegment& oncoming) {
  if (oncoming.vote == 0) return;
  for (RadarSegment& s : open_)
    if (&s != &oncoming && s.vote != 0 && (s.vote > 0) != (oncoming.vote > 0))
      s.hidden_until_ns = std::max(s.hidden_until_ns, oncoming.last_ns() + max_gap_ns(s));
}

// Across an occlusion the sweep was extrapolated: the longer, the looser.
double RadarSegmenter::tolerance(const RadarSegment& s, std::int64_t t_ns) {
  const std::int64_t hidden_ns = t_ns - s.last_ns() - max_gap_ns(s);
  if (hidden_ns <= 0) return jump_tolerance;
  return jump_tolerance + occlusion_slack_per_s * static_cast<double>(hidden_ns) * 1e-9;
}

// A full block after a dip in a pass long enough to be a vehicle of its own.
bool RadarSegmenter::after_dip(const RadarSegment& s, const RadarBlock& b) {
  return b.fill >= full_fill && s.weak_run >= dip_blocks && s.full_blocks >= min_full_blocks;
}

bool RadarSegmenter::may_continue(std::size_t index, std::int64_t t_ns) const {
  return t_ns <= open_until_ns(open_[index]);
}

void RadarSegmenter::push(const RadarBlock& b, std::vector<RadarSegment>& closed) {
  advance_to(b.first_ns, closed);
  std::size_t best = open_.size();
  double best_dev = 0;
  for (std::size_t i = 0; i < open_.size(); ++i) {
    if (!same_way(open_[i].vote, b.vote) || !may_continue(i, b.first_ns) || after_dip(open_[i], b)) continue;
    const double dev = std::abs(b.f_hz / predicted_hz(open_[i], b.mid_ns()) - 1.0);
    // Of two that fit about as well, the one seen longer is the vehicle
    // still in the beam; a short one may be a stray block's.
    const bool longer = best < open_.size() && open_[i].blocks.size() > open_[best].blocks.size();
    if (dev > tolerance(open_[i], b.first_ns)) continue;
    if (best == open_.size() || dev < best_dev - near_tie || (dev <= best_dev + near_tie && longer)) {
      best = i;
      best_dev = dev;
    }
  }
  if (best == open_.size()) {
    if (open_.size() == max_open) close(0, closed);
    open_.push_back(RadarSegment{});
    best = open_.size() - 1;
  }
  RadarSegment& s = open_[best];
  s.blocks.push_back(b);
  s.vote += b.vote;
  s.hidden_until_ns = 0;
  if (b.fill < weak_fill && s.full_blocks > 0) ++s.weak_run;
  if (b.fill >= full_fill) {
    ++s.full_blocks;
    s.weak_run = 0;
  }
  // By the segment's vote, the block's included: one block's own vote is
  // the noisier, and without input_q both are 0 (no occlusion can be told).
  mark_hidden_by(s);
}

// Closes in the order the segments' times ran out (ties: the older first),
// so telling the time at once or in steps closes them in the same order.
void RadarSegmenter::advance_to(std::int64_t t_ns, std::vector<RadarSegment>& closed) {
  for (;;) {
    std::size_t first = open_.size();
    for (std::size_t i = 0; i < open_.size(); ++i)
      if (!may_continue(i, t_ns) && (first == open_.size() || open_until_ns(open_[i]) < open_until_ns(open_[first])))
        first = i;
    if (first == open_.size()) return;
    close(first, closed);
  }
}

void RadarSegmenter::finish(std::vector<RadarSegment>& closed) {
  while (!open_.empty()) close(0, closed);
}

void RadarSegmenter::close(std::size_t index, std::vector<RadarSegment>& closed) {
  RadarSegment s = std::move(open_[index]);
  open_.erase(open_.begin() + static_cast<std::ptrdiff_t>(index));
  if (s.blocks.size() >= min_blocks) closed.push_back(std::move(s));
}

std::int64_t RadarSegmenter::next_close_ns() const {
  std::int64_t t = std::numeric_limits<std::int64_t>::max();
  for (const RadarSegment& s : open_) t = std::min(t, open_until_ns(s) + 1);
  return t;
}

std::int64_t RadarSegmenter::earliest_open_ns() const {
  std::int64_t t = std::numeric_limits<std::int64_t>::max();
  for (const RadarSegment& s : open_) t = std::min(t, s.first_ns());
  return t;
}

}  // namespace roadspeed
