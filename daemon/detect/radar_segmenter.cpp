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
// So many segments may be open at once (two lanes, a hand-over in each).
constexpr std::size_t max_open = 4;

bool same_way(int a, int b) { return a == 0 || b == 0 || (a > 0) == (b > 0); }

}  // namespace

std::int64_t RadarSegmenter::max_gap_ns(const RadarSegment& s) {
  const double cycles_ns = gap_cycles / s.blocks.back().f_hz * 1e9;
  return std::max(min_gap_ns, static_cast<std::int64_t>(cycles_ns));
}

// The median of the last three blocks: one odd block does not steer it.
double RadarSegmenter::predicted_hz(const RadarSegment& s) {
  const std::size_t n = std::min<std::size_t>(3, s.blocks.size());
  std::array<double, 3> f{};
  for (std::size_t i = 0; i < n; ++i) f[i] = s.blocks[s.blocks.size() - 1 - i].f_hz;
  std::sort(f.begin(), f.begin() + static_cast<std::ptrdiff_t>(n));
  return f[n / 2];
}

void RadarSegmenter::push(const RadarBlock& b, std::vector<RadarSegment>& closed) {
  advance_to(b.first_ns, closed);
  std::size_t best = open_.size();
  double best_dev = jump_tolerance;
  for (std::size_t i = 0; i < open_.size(); ++i) {
    if (!same_way(open_[i].vote, b.vote)) continue;
    const double dev = std::abs(b.f_hz / predicted_hz(open_[i]) - 1.0);
    // The latest segment wins a tie: it is the vehicle still in the beam.
    if (dev <= best_dev) {
      best = i;
      best_dev = dev;
    }
  }
  if (best == open_.size()) {
    if (open_.size() == max_open) close(0, closed);
    open_.push_back(RadarSegment{});
    best = open_.size() - 1;
  }
  open_[best].blocks.push_back(b);
  open_[best].vote += b.vote;
}

void RadarSegmenter::advance_to(std::int64_t t_ns, std::vector<RadarSegment>& closed) {
  for (std::size_t i = 0; i < open_.size();) {
    if (t_ns - open_[i].last_ns() > max_gap_ns(open_[i])) {
      close(i, closed);
    } else {
      ++i;
    }
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

std::int64_t RadarSegmenter::earliest_open_ns() const {
  std::int64_t t = std::numeric_limits<std::int64_t>::max();
  for (const RadarSegment& s : open_) t = std::min(t, s.first_ns());
  return t;
}

}  // namespace roadspeed
