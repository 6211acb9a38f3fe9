#include "daemon/detect/radar_split.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>

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

// Sum of squared relative residuals of the fit; empty when it fails.
std::optional<double> misfit(const RadarSegment& s, const SweepModel& m) {
  const std::int64_t mid = s.first_ns() + (s.last_ns() - s.first_ns()) / 2;
  const auto fit = fit_sweep(m, sweep_samples(s, mid));
  if (!fit) return std::nullopt;
  return fit->rms_pct * fit->rms_pct * static_cast<double>(s.blocks.size());
}

std::optional<double> split_misfit(const RadarSegment& s, const SweepModel& m, std::size_t at) {
  const auto a = misfit(slice(s, 0, at), m);
  const auto b = misfit(slice(s, at, s.blocks.size()), m);
  if (!a || !b) return std::nullopt;
  return *a + *b;
}

// The split point with the least misfit, leaving at least `min_part` blocks
// on each side: coarse grid, then its neighbours.
std::size_t best_split(const RadarSegment& s, const SweepModel& m, std::size_t min_part, double& best) {
  const std::size_t lo = min_part, hi = s.blocks.size() - min_part;
  std::size_t at = 0;
  best = std::numeric_limits<double>::infinity();
  auto consider = [&](std::size_t k) {
    if (k < lo || k > hi) return;
    if (const auto c = split_misfit(s, m, k); c && *c < best) {
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

void split_into(const RadarSegment& s, const SweepModel& m, int depth, std::vector<RadarSegment>& out) {
  const auto whole = misfit(s, m);
  const double n = static_cast<double>(s.blocks.size());
  const double rms = whole ? std::sqrt(*whole / n) : std::numeric_limits<double>::infinity();
  // The kink of two passes run together; else, milder, a hand-over between two long ones.
  const bool merged = rms > suspect_rms_pct && s.blocks.size() >= 2 * RadarSegmenter::min_blocks;
  const bool handover = rms > handover_rms_pct && s.blocks.size() >= 2 * handover_min_blocks;
  if (depth >= max_depth || (!merged && !handover)) {
    out.push_back(s);
    return;
  }
  double best = 0;
  const std::size_t min_part = merged ? RadarSegmenter::min_blocks : handover_min_blocks;
  const double improvement = merged ? min_improvement : handover_improvement;
  std::size_t at = best_split(s, m, min_part, best);
  bool better = at > 0 && std::sqrt(best / n) * improvement < rms;
  if (!better && merged && handover) {  // not two passes at a kink: a hand-over between long ones?
    at = best_split(s, m, handover_min_blocks, best);
    better = at > 0 && std::sqrt(best / n) * handover_improvement < rms;
  }
  if (!better) {
    out.push_back(s);
    return;
  }
  split_into(slice(s, 0, at), m, depth + 1, out);
  split_into(slice(s, at, s.blocks.size()), m, depth + 1, out);
}

}  // namespace

std::vector<SweepSample> sweep_samples(const RadarSegment& s, std::int64_t t0_ns) {
  std::vector<SweepSample> samples;
  samples.reserve(s.blocks.size());
  for (const RadarBlock& b : s.blocks) samples.push_back({static_cast<double>(b.mid_ns() - t0_ns) * 1e-9, b.f_hz});
  return samples;
}

std::vector<RadarSegment> split_merged(const RadarSegment& s, const SweepModel& m) {
  std::vector<RadarSegment> out;
  split_into(s, m, 0, out);
  return out;
}

}  // namespace roadspeed
