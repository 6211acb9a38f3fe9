#include "daemon/detect/radar_decoder.hpp"

#include <algorithm>
#include <array>
#include <cmath>

namespace roadspeed {
namespace {

// An interval within this share of a period of a whole number of periods is
// one cycle, or several with the ones between missed. Shorter than a whole
// number by more than `short_tolerance` it is more likely the first piece of
// a period an extra pulse cut in two: the two pieces together are the cycle.
constexpr double cycle_tolerance = 0.2;
constexpr double short_tolerance = 0.15;
constexpr int max_missed_run = 6;
// A tone needs this share of intervals explained; random noise pulses never get there.
constexpr double min_explained_share = 0.7;
constexpr std::size_t max_intervals = 64;

struct Explained {
  std::size_t intervals = 0;  // intervals that are (or pair into) whole numbers of periods
  std::size_t pulses = 0;     // the pulses that began them, extra pulses not counted
  long cycles = 0;            // the periods they hold
  std::int64_t span_ns = 0;   // their total length
};

// The whole number of periods `ns` is, if it is one (0 if not).
// Rounds by adding a half and truncating, as std::round would for these
// values but without its library call (the hottest line of radar decoding):
// the two differ only within an ulp of a half period, which both tolerances
// reject anyway.
long whole_periods(std::int64_t ns, double period_ns) {
  const double r = static_cast<double>(ns) / period_ns;
  if (!(r >= 0.5) || r >= max_missed_run + 0.5) return 0;  // rounds below 1 or above the longest run
  const auto m = static_cast<long>(r + 0.5);
  const auto whole = static_cast<double>(m);
  if (r - whole >= cycle_tolerance || whole - r >= short_tolerance) return 0;
  return m;
}

// With `pairs`, two pieces of a period cut by an extra pulse count as one
// cycle; without, only whole intervals count (how a candidate period is
// judged: pairing would let twice the period explain every interval).
Explained explain(const std::array<std::int64_t, max_intervals>& intervals, std::size_t n, double period_ns,
                  bool pairs) {
  Explained e;
  for (std::size_t i = 0; i < n; ++i) {
    std::size_t used = 1;
    std::int64_t span = intervals[i];
    long m = whole_periods(span, period_ns);
    if (m == 0 && pairs && i + 1 < n && static_cast<double>(intervals[i]) < period_ns) {
      used = 2;  // an extra pulse cut this period in two
      span += intervals[i + 1];
      m = whole_periods(span, period_ns);
    }
    if (m == 0) continue;
    e.intervals += used;
    e.pulses += 1;
    e.cycles += m;
    e.span_ns += span;
    i += used - 1;
  }
  return e;
}

}  // namespace

// The period is the longest interval that explains most of the others as
// whole numbers of periods: robust to missed cycles (multiples) and extra
// pulses (pieces explain nothing), and never a sub-multiple of the tone.
std::optional<RadarBlock> decode_block(std::span<const std::int64_t> rises_ns, int vote) {
  if (rises_ns.size() < 3 || rises_ns.size() > max_intervals + 1) return std::nullopt;
  if (rises_ns.back() - rises_ns.front() <= 0) return std::nullopt;
  std::array<std::int64_t, max_intervals> intervals{};
  const std::size_t n = rises_ns.size() - 1;
  for (std::size_t i = 0; i < n; ++i) intervals[i] = rises_ns[i + 1] - rises_ns[i];

  Explained best;
  const double needed = min_explained_share * static_cast<double>(n);
  for (std::size_t k = 0; k < n; ++k) {
    if (intervals[k] <= 0) continue;
    const Explained e = explain(intervals, n, static_cast<double>(intervals[k]), false);
    if (static_cast<double>(e.intervals) < needed) continue;
    if (best.cycles == 0 || static_cast<double>(e.span_ns) / static_cast<double>(e.cycles) >
                                static_cast<double>(best.span_ns) / static_cast<double>(best.cycles))
      best = e;
  }
  RadarBlock b;
  b.first_ns = rises_ns.front();
  b.last_ns = rises_ns.back();
  b.vote = vote;
  if (best.cycles == 0) return b;  // not a tone: regular stays false
  // Refined over every explained interval: no rounding of a whole block's span.
  const double period_ns = static_cast<double>(best.span_ns) / static_cast<double>(best.cycles);
  const Explained e = explain(intervals, n, period_ns, true);
  b.regular = static_cast<double>(e.intervals) >= needed;
  if (e.cycles > 0) {
    b.f_hz = static_cast<double>(e.cycles) / (static_cast<double>(e.span_ns) * 1e-9);
    b.fill = static_cast<double>(e.pulses) / static_cast<double>(e.cycles);
  }
  return b;
}

}  // namespace roadspeed
