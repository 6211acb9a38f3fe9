// Nearest-rank percentiles over per-vehicle values: the value at rank
// ceil(p/100 × n) of the sorted values, always one of the values themselves
// (no interpolation). Header-only so the calibration tools can use it too.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <optional>
#include <stdexcept>
#include <vector>

namespace roadspeed {

// The nearest-rank percentile (0 < p <= 100) of `values`, which it sorts in
// place; empty for no values.
inline std::optional<double> nearest_rank_percentile(std::vector<double>& values, double p) {
  if (!(p > 0.0 && p <= 100.0)) throw std::invalid_argument("percentile must be in (0, 100]");
  if (values.empty()) return std::nullopt;
  std::sort(values.begin(), values.end());
  const double n = static_cast<double>(values.size());
  // Rank in 1..n. The tolerance, far below one rank, keeps rounding error in
  // p × n / 100 from pushing a rank that is an exact integer up by one.
  const double rank_real = p * n / 100.0;
  auto rank = static_cast<std::size_t>(std::ceil(rank_real - (1e-9 + 1e-12 * n)));
  rank = std::clamp<std::size_t>(rank, 1, values.size());
  return values[rank - 1];
}

}  // namespace roadspeed
