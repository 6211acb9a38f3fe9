#include "daemon/detect/radar_offset.hpp"

#include <cmath>
#include <limits>

namespace roadspeed {
namespace {

// The search: a coarse grid over the offsets a roadside radar can have, then
// golden-section refinement around the best grid point.
constexpr double min_offset_m = 0.5;
constexpr double max_offset_m = 15.0;
constexpr double grid_step_m = 1.0;
constexpr double resolution_m = 0.005;
constexpr std::size_t refit_every = 128;

bool refit_due(std::size_t added) {
  if (added <= refit_every) return (added & (added - 1)) == 0;  // a power of two
  return added % refit_every == 0;
}

}  // namespace

void LaneOffsetEstimate::add(const SweepModel& m, std::vector<SweepSample> samples) {
  model_ = m;
  if (recent_.size() < window) {
    recent_.push_back(std::move(samples));
  } else {
    recent_[next_] = std::move(samples);
  }
  next_ = (next_ + 1) % window;
  ++added_;
  if (refit_due(added_)) refit();
}

// Sum over the recent passes of the squared relative RMS residual.
double LaneOffsetEstimate::misfit(double offset_m) const {
  SweepModel m = model_;
  m.offset_m = offset_m;
  double sum = 0;
  for (const auto& samples : recent_) {
    const auto fit = fit_sweep(m, samples);
    sum += fit ? fit->rms_pct * fit->rms_pct : 100.0;  // a failed fit: far worse than any real one
  }
  return sum;
}

void LaneOffsetEstimate::refit() {
  double best = std::numeric_limits<double>::infinity();
  double best_m = min_offset_m;
  for (double d = min_offset_m; d <= max_offset_m; d += grid_step_m) {
    if (const double c = misfit(d); c < best) {
      best = c;
      best_m = d;
    }
  }
  const double phi = 0.5 * (std::sqrt(5.0) - 1.0);
  double lo = std::max(min_offset_m, best_m - grid_step_m), hi = std::min(max_offset_m, best_m + grid_step_m);
  double x1 = hi - phi * (hi - lo), x2 = lo + phi * (hi - lo);
  double f1 = misfit(x1), f2 = misfit(x2);
  while (hi - lo > resolution_m) {
    if (f1 < f2) {
      hi = x2, x2 = x1, f2 = f1;
      x1 = hi - phi * (hi - lo);
      f1 = misfit(x1);
    } else {
      lo = x1, x1 = x2, f1 = f2;
      x2 = lo + phi * (hi - lo);
      f2 = misfit(x2);
    }
  }
  offset_m_ = 0.5 * (lo + hi);
}

}  // namespace roadspeed
