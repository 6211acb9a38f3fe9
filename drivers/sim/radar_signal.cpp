#include "drivers/sim/radar_signal.hpp"

#include <algorithm>
#include <cmath>

namespace roadspeed::sim {
namespace {

// Edge jitter is clamped to this share of a period, so the pulses of one
// output keep their order; at most this much weaker-signal amplification.
constexpr double max_jitter = 0.1;
constexpr double max_weak_factor = 4.0;
// An extra pulse falls in the low half of a cycle, clear of both real edges.
constexpr double glitch_from = 0.62;
constexpr double glitch_to = 0.72;
constexpr double glitch_width = 0.05;

std::int64_t to_ns(double s) { return std::llround(s * 1e9); }

struct Cycle {
  std::int64_t t_ns;
  double period_s;
  double jitter_s;
};

double jittered(Rng& rng, const Cycle& c, double at) {
  const double j = std::clamp(rng.normal(0.0, c.jitter_s), -max_jitter * c.period_s, max_jitter * c.period_s);
  return at * c.period_s + j;
}

void pulse(std::vector<Edge>& out, InputId input, std::int64_t base_ns, double on_s, double off_s) {
  out.push_back(Edge{base_ns + to_ns(on_s), input, 1});
  out.push_back(Edge{base_ns + to_ns(off_s), input, 0});
}

}  // namespace

void pass_pulses(const RadarPass& pass, const RadarOutputs& outputs, Rng& rng,
                 const std::function<bool(std::int64_t)>& owns, std::vector<Edge>& out) {
  const RadarParams& p = pass.lane().params;
  std::int64_t t = pass.from_ns() + to_ns(rng.uniform() / pass.frequency_hz(pass.from_ns()));
  while (t <= pass.to_ns()) {
    // The period from the frequency half a cycle on: exact to second order.
    const double half = 0.5 / pass.frequency_hz(t);
    const double period = 1.0 / pass.frequency_hz(t + to_ns(half));
    const double a = pass.amplitude(t);
    const double p_fire = std::clamp((a - p.detect_min) / (p.detect_full - p.detect_min), 0.0, 1.0);
    const double weak = std::min(max_weak_factor, p.detect_full / std::max(a, 1e-6));
    const Cycle c{t, period, p.phase_jitter * period * std::max(1.0, weak)};
    const bool fires = rng.chance(p_fire * (1.0 - p.miss_prob));
    const bool glitch = rng.chance(p.extra_per_s * period);
    if (owns(t)) {
      if (fires) {
        pulse(out, outputs.i, t, jittered(rng, c, 0.0), jittered(rng, c, 0.5));
        // Q lags I by a quarter period when the target approaches.
        const double q_at = pass.lane().approaching ? 0.25 : -0.25;
        if (outputs.q) pulse(out, *outputs.q, t, jittered(rng, c, q_at), jittered(rng, c, q_at + 0.5));
      }
      if (glitch && a >= p.detect_min) {
        const double at = rng.uniform(glitch_from, glitch_to) * period;
        pulse(out, outputs.i, t, at, at + glitch_width * period);
      }
    }
    t += to_ns(period);
  }
}

}  // namespace roadspeed::sim
