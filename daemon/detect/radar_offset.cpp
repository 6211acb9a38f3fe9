#include "daemon/detect/radar_offset.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

namespace roadspeed {
namespace {

// The search: a coarse grid over the offsets a roadside radar can have, then
// golden-section refinement around the best grid point.
constexpr double min_offset_m = 0.5;
constexpr double max_offset_m = 15.0;
constexpr double grid_step_m = 1.0;
constexpr double resolution_m = 0.005;
constexpr std::size_t refit_every = 128;
const double phi = 0.5 * (std::sqrt(5.0) - 1.0);

bool refit_due(std::size_t added) {
  if (added <= refit_every) return (added & (added - 1)) == 0;  // a power of two
  return added % refit_every == 0;
}

}  // namespace

void LaneOffsetEstimate::add(const SweepModel& m, std::vector<SweepSample> samples) {
  start(m, std::move(samples));
  refit_some(std::numeric_limits<std::size_t>::max());
}

void LaneOffsetEstimate::start(const SweepModel& m, std::vector<SweepSample> samples) {
  model_ = m;
  if (recent_.size() < window) {
    recent_.push_back(std::move(samples));
  } else {
    recent_[next_] = std::move(samples);
  }
  next_ = (next_ + 1) % window;
  ++added_;
  if (!refit_due(added_)) return;
  refit_.emplace();
  refit_->d = min_offset_m;
  refit_->best = std::numeric_limits<double>::infinity();
  refit_->best_m = min_offset_m;
  begin_misfit(refit_->d);
}

// The misfit at an offset: the sum over the recent passes of the squared
// relative RMS residual.
void LaneOffsetEstimate::begin_misfit(double offset_m) {
  refit_->x = offset_m;
  refit_->sum = 0;
  refit_->pass = 0;
}

std::size_t LaneOffsetEstimate::refit_some(std::size_t budget) {
  std::size_t used = 0;
  while (refit_ && used < budget) {
    Refit& r = *refit_;
    SweepModel m = model_;
    m.offset_m = r.x;
    const auto& samples = recent_[r.pass];
    const auto fit = fit_sweep(m, samples);
    r.sum += fit ? fit->rms_pct * fit->rms_pct : 100.0;  // a failed fit: far worse than any real one
    used += std::max<std::size_t>(1, samples.size());
    if (++r.pass == recent_.size()) misfit_found(r.sum);
  }
  return used;
}

void LaneOffsetEstimate::misfit_found(double value) {
  Refit& r = *refit_;
  if (!r.golden) {
    if (value < r.best) {
      r.best = value;
      r.best_m = r.d;
    }
    r.d += grid_step_m;
    if (r.d <= max_offset_m) return begin_misfit(r.d);
    r.golden = true;
    r.lo = std::max(min_offset_m, r.best_m - grid_step_m);
    r.hi = std::min(max_offset_m, r.best_m + grid_step_m);
    r.x1 = r.hi - phi * (r.hi - r.lo);
    r.x2 = r.lo + phi * (r.hi - r.lo);
    return begin_misfit(r.x1);
  }
  if (r.first_pending) {
    r.f1 = value;
    r.first_pending = false;
    if (r.second_pending) return begin_misfit(r.x2);
  } else {
    r.f2 = value;
    r.second_pending = false;
  }
  next_golden();
}

void LaneOffsetEstimate::next_golden() {
  Refit& r = *refit_;
  if (r.hi - r.lo <= resolution_m) {
    offset_m_ = 0.5 * (r.lo + r.hi);
    refit_.reset();
    return;
  }
  if (r.f1 < r.f2) {
    r.hi = r.x2, r.x2 = r.x1, r.f2 = r.f1;
    r.x1 = r.hi - phi * (r.hi - r.lo);
    r.first_pending = true;
    begin_misfit(r.x1);
  } else {
    r.lo = r.x1, r.x1 = r.x2, r.f1 = r.f2;
    r.x2 = r.lo + phi * (r.hi - r.lo);
    r.second_pending = true;
    begin_misfit(r.x2);
  }
}

}  // namespace roadspeed
