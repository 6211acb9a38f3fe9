#include "daemon/detect/radar_decoder.hpp"

#include <algorithm>
#include <array>
#include <cmath>

namespace roadspeed {
namespace {

// An interval within this fraction of the median period is a clean cycle.
constexpr double clean_tolerance = 0.2;
// A tone needs this share of clean intervals; random noise pulses never get there.
constexpr double min_clean_share = 0.7;
constexpr std::size_t max_intervals = 64;

}  // namespace

std::optional<RadarBlock> decode_block(std::span<const std::int64_t> rises_ns, int vote) {
  if (rises_ns.size() < 3 || rises_ns.size() > max_intervals + 1) return std::nullopt;
  const std::int64_t span_ns = rises_ns.back() - rises_ns.front();
  if (span_ns <= 0) return std::nullopt;
  std::array<std::int64_t, max_intervals> intervals{};
  const std::size_t n = rises_ns.size() - 1;
  for (std::size_t i = 0; i < n; ++i) intervals[i] = rises_ns[i + 1] - rises_ns[i];
  std::array<std::int64_t, max_intervals> sorted = intervals;
  std::nth_element(sorted.begin(), sorted.begin() + static_cast<std::ptrdiff_t>(n / 2),
                   sorted.begin() + static_cast<std::ptrdiff_t>(n));
  const auto period = static_cast<double>(sorted[n / 2]);
  if (!(period > 0)) return std::nullopt;

  std::size_t clean = 0;
  for (std::size_t i = 0; i < n; ++i)
    if (std::abs(static_cast<double>(intervals[i]) / period - 1.0) < clean_tolerance) ++clean;
  const double cycles = std::max(1.0, std::round(static_cast<double>(span_ns) / period));

  RadarBlock b;
  b.first_ns = rises_ns.front();
  b.last_ns = rises_ns.back();
  b.f_hz = cycles / (static_cast<double>(span_ns) * 1e-9);
  b.fill = static_cast<double>(n) / cycles;
  b.regular = static_cast<double>(clean) >= min_clean_share * static_cast<double>(n);
  b.vote = vote;
  return b;
}

}  // namespace roadspeed
