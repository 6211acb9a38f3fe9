#include "daemon/detect/radar_split.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <optional>
#include <utility>

namespace roadspeed {
namespace {

// A single pass fits to a few tenths of a per cent (phase jitter over a
// block); a merged one leaves a kink the model cannot follow.
constexpr double suspect_rms_pct = 0.5;
// Splitting must explain the sweep this much better.
constexpr double min_improvement = 2.0;
// A hand-over the segmenter took for one sweep: a follower that enters the
// beam at nearly the frequency its fading leader has (a receding pair in the
// far lane: the follower faster, or the leader still strong mid-beam). The
// step is small, but the follower's sweep starts over at the beam edge, so
// the whole fits worse than a full return's noise (about 0.2 %) and two fits
// bring it down to it. Milder than the rules above, so only where each part
// is a pass seen for a good while (about 0.3 s of a full return): a short
// fringe at either end, whose blocks scatter more, is not split off this way.
constexpr double handover_rms_pct = 0.3;
constexpr double handover_improvement = 1.8;
constexpr std::size_t handover_min_blocks = 20;
constexpr int max_depth = 2;
// Split points are searched on a grid of this many blocks, or coarser so
// that a long sweep gets about `max_coarse_points` of them, then refined by
// halving the step around the best. The fits are the cost: long merged
// sweeps searched every 4 blocks held the daemon's event loop ~14 ms. On
// four simulated radar traces (about 2,000 vehicles) the rows are the same
// as with the 4-block grid; with 8 points instead of 12 they were not.
constexpr std::size_t coarse_step = 4;
constexpr std::size_t max_coarse_points = 12;

RadarSegment slice(const RadarSegment& s, std::size_t from, std::size_t to) {
  RadarSegment part;
  part.blocks.assign(s.blocks.begin() + static_cast<std::ptrdiff_t>(from),
                     s.blocks.begin() + static_cast<std::ptrdiff_t>(to));
  for (const RadarBlock& b : part.blocks) part.vote += b.vote;
  return part;
}

}  // namespace

// One walk through the search over a segment, on stretches [from, to) of
// its blocks. The same stretch comes up more than once (the parts at the
// chosen split are the wholes of the next level; the hand-over search shares
// points with the first; a later walk repeats the earlier ones): each is
// fitted once, in place, without copying its blocks. Once the budget is
// spent, misfits not fitted yet count as failed fits: the walk still ends
// (with nothing fitted it is quick) and its parts are thrown away.
struct SplitSearch::Pass {
  SplitSearch& search;
  const RadarSegment& s;
  const SweepModel& m;
  std::size_t& budget;
  bool spent = false;  // a fit was left out: the parts are not final

  // Sum of squared relative residuals of the fit of [from, to); empty when
  // it fails. The samples are those of the stretch as a segment of its own
  // (sweep_samples of slice(s, from, to)): times from its middle.
  std::optional<double> misfit(std::size_t from, std::size_t to) {
    if (const auto known = search.memo_.find({from, to}); known != search.memo_.end()) return known->second;
    if (budget == 0) {
      spent = true;
      return std::nullopt;
    }
    budget -= std::min(budget, to - from);
    const std::int64_t first = s.blocks[from].first_ns, last = s.blocks[to - 1].last_ns;
    const std::int64_t mid = first + (last - first) / 2;
    auto& samples = search.samples_;
    samples.clear();
    for (std::size_t i = from; i < to; ++i)
      samples.push_back({static_cast<double>(s.blocks[i].mid_ns() - mid) * 1e-9, s.blocks[i].f_hz});
    std::optional<double> value;
    if (const auto rms = sweep_rms_pct(m, samples)) value = *rms * *rms * static_cast<double>(to - from);
    search.memo_.emplace(std::pair{from, to}, value);
    return value;
  }

  std::optional<double> split_misfit(std::size_t from, std::size_t at, std::size_t to) {
    const auto a = misfit(from, at);
    const auto b = misfit(at, to);
    if (!a || !b) return std::nullopt;
    return *a + *b;
  }
  std::size_t best_split(std::size_t from, std::size_t to, std::size_t min_part, double& best);
  void split_into(std::size_t from, std::size_t to, int depth, std::vector<RadarSegment>& out);
};

// The split point with the least misfit, leaving at least `min_part` blocks
// on each side: coarse grid, then its neighbours. Offsets from `from`, as
// on a slice of its own.
std::size_t SplitSearch::Pass::best_split(std::size_t from, std::size_t to, std::size_t min_part, double& best) {
  const std::size_t lo = min_part, hi = to - from - min_part;
  std::size_t at = 0;
  best = std::numeric_limits<double>::infinity();
  auto consider = [&](std::size_t k) {
    if (k < lo || k > hi) return;
    if (const auto c = split_misfit(from, from + k, to); c && *c < best) {
      best = *c;
      at = k;
    }
  };
  const std::size_t step = std::max(coarse_step, (hi - lo) / max_coarse_points);
  for (std::size_t k = lo; k <= hi; k += step) consider(k);
  if (step == coarse_step) {
    // Short sweeps: every neighbour of the best grid point.
    const std::size_t centre = at;
    for (std::size_t k = centre > coarse_step ? centre - coarse_step + 1 : lo; k < centre + coarse_step; ++k)
      if (k != centre) consider(k);
    return at;
  }
  for (std::size_t st = step / 2; st >= 1; st /= 2) {
    const std::size_t centre = at;
    if (centre > st) consider(centre - st);
    consider(centre + st);
  }
  return at;
}

void SplitSearch::Pass::split_into(std::size_t from, std::size_t to, int depth, std::vector<RadarSegment>& out) {
  // The segment itself when it stays whole (depth 0), else the stretch as a slice.
  auto keep = [&] { out.push_back(depth == 0 ? s : slice(s, from, to)); };
  const std::size_t size = to - from;
  const auto whole = misfit(from, to);
  const double n = static_cast<double>(size);
  const double rms = whole ? std::sqrt(*whole / n) : std::numeric_limits<double>::infinity();
  // The kink of two passes run together; else, milder, a hand-over between two long ones.
  const bool merged = rms > suspect_rms_pct && size >= 2 * RadarSegmenter::min_blocks;
  const bool handover = rms > handover_rms_pct && size >= 2 * handover_min_blocks;
  if (depth >= max_depth || (!merged && !handover)) {
    keep();
    return;
  }
  double best = 0;
  const std::size_t min_part = merged ? RadarSegmenter::min_blocks : handover_min_blocks;
  const double improvement = merged ? min_improvement : handover_improvement;
  std::size_t at = best_split(from, to, min_part, best);
  bool better = at > 0 && std::sqrt(best / n) * improvement < rms;
  if (!better && merged && handover) {  // not two passes at a kink: a hand-over between long ones?
    at = best_split(from, to, handover_min_blocks, best);
    better = at > 0 && std::sqrt(best / n) * handover_improvement < rms;
  }
  if (!better) {
    keep();
    return;
  }
  split_into(from, from + at, depth + 1, out);
  split_into(from + at, to, depth + 1, out);
}

std::vector<SweepSample> sweep_samples(const RadarSegment& s, std::int64_t t0_ns) {
  std::vector<SweepSample> samples;
  samples.reserve(s.blocks.size());
  for (const RadarBlock& b : s.blocks) samples.push_back({static_cast<double>(b.mid_ns() - t0_ns) * 1e-9, b.f_hz});
  return samples;
}

std::vector<RadarSegment> split_merged(const RadarSegment& s, const SweepModel& m) {
  std::size_t unlimited = std::numeric_limits<std::size_t>::max();
  return *SplitSearch().run(s, m, unlimited);
}

std::optional<std::vector<RadarSegment>> SplitSearch::run(const RadarSegment& s, const SweepModel& m,
                                                          std::size_t& budget) {
  std::vector<RadarSegment> out;
  if (s.blocks.empty()) {
    out.push_back(s);
    return out;
  }
  Pass pass{*this, s, m, budget};
  pass.split_into(0, s.blocks.size(), 0, out);
  if (pass.spent) return std::nullopt;
  return out;
}

}  // namespace roadspeed
