#include "daemon/stats/speed_figures.hpp"

#include <algorithm>
#include <cmath>

namespace roadspeed::stats {

namespace {
constexpr std::size_t pace_width_kmh = 10;
}

std::optional<double> histogram_percentile(const store::BinCounts& c, double p) {
  if (c.with_speed == 0) return std::nullopt;
  // The same rank as the nearest-rank percentile of the per-vehicle speeds
  // (percentile.hpp), so the bin found holds the vehicle that one names.
  const double rank_real = p / 100.0 * static_cast<double>(c.with_speed);
  const auto rank = static_cast<std::uint64_t>(
      std::clamp(std::ceil(rank_real - 1e-9), 1.0, static_cast<double>(c.with_speed)));
  std::uint64_t below = 0;
  for (std::size_t k = 0; k < c.histogram.size(); ++k) {
    below += c.histogram[k];
    // The bin's midpoint: never more than 0.5 km/h from that vehicle's
    // speed. Interpolating inside the bin is closer on average but can be
    // almost 1 km/h off in groups of a hundred (docs/statistics.md).
    if (below >= rank) return static_cast<double>(k) + 0.5;
  }
  return static_cast<double>(c.histogram.size());
}

std::optional<Pace> pace(const store::BinCounts& c) {
  if (c.with_speed == 0) return std::nullopt;
  std::uint64_t best = 0;
  std::size_t best_from = 0;
  for (std::size_t k = 0; k < c.histogram.size(); ++k) {
    std::uint64_t in_band = 0;
    for (std::size_t j = k; j < k + pace_width_kmh && j < c.histogram.size(); ++j) in_band += c.histogram[j];
    if (in_band > best) {
      best = in_band;
      best_from = k;
    }
  }
  return Pace{static_cast<int>(best_from), static_cast<double>(best) / static_cast<double>(c.with_speed)};
}

std::optional<double> mean_kmh(const store::BinCounts& c) {
  if (c.with_speed == 0) return std::nullopt;
  return c.sum_kmh / static_cast<double>(c.with_speed);
}

std::optional<double> sd_kmh(const store::BinCounts& c) {
  if (c.with_speed < 2) return std::nullopt;
  const double n = static_cast<double>(c.with_speed);
  return std::sqrt(std::max(0.0, (c.sum_sq_kmh2 - c.sum_kmh * c.sum_kmh / n) / (n - 1)));
}

}  // namespace roadspeed::stats
