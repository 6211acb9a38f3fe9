#include <catch2/catch.hpp>

#include <cmath>
#include <random>

#include "daemon/detect/timing_spread.hpp"

using roadspeed::PassTiming;
using roadspeed::TimingSpread;

namespace {

// Passes over a 3 m trap of 1.5 m loops with known card jitter (per edge)
// and acceleration spread; speeds and footprints vary as in traffic. Speeds
// of 9 m/s and more: no vehicle brakes to a stop over the trap.
void feed(TimingSpread& spread, double jitter_s, double accel_sd, int passes, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> speed(9, 18), footprint(1.2, 9);
  std::normal_distribution<double> jitter(0, jitter_s), accel(0, accel_sd);
  for (int i = 0; i < passes; ++i) {
    const double v = speed(rng), a = accel(rng), lf = footprint(rng);
    auto at = [&](double d) { return a == 0 ? d / v : (-v + std::sqrt(v * v + 2 * a * d)) / a; };
    const double on1 = jitter(rng), on2 = at(3.0) + jitter(rng);
    const double off1 = at(1.5 + lf) + jitter(rng), off2 = at(4.5 + lf) + jitter(rng);
    spread.observe(PassTiming{on2 - on1, off2 - off1, 0.5 * ((off1 + off2) - (on1 + on2))});
  }
}

}  // namespace

TEST_CASE("the timing spread separates card jitter from acceleration", "[detect]") {
  for (auto [jitter_s, accel_sd] : {std::pair{0.3e-3, 0.5}, std::pair{2e-3, 0.3}, std::pair{4e-3, 0.8}}) {
    TimingSpread spread(3.0);
    feed(spread, jitter_s, accel_sd, 20000, 11);
    INFO("jitter " << jitter_s << " s, accel sd " << accel_sd);
    CHECK(spread.jitter_s() == Approx(jitter_s).epsilon(0.15));
    CHECK(spread.accel_sd_mps2() == Approx(accel_sd).epsilon(0.15));
  }
}

TEST_CASE("until it has seen traffic the timing spread assumes typical cards", "[detect]") {
  TimingSpread spread(3.0);
  CHECK(spread.jitter_s() == Approx(1.5e-3));
}

namespace {

struct Errors {
  double lead_rms = 0, combined_rms = 0, lead_mean = 0, combined_mean = 0;
};

// Passes at steady speeds through noisy cards whose second card reaches
// `reach_m` further (unequal sensitivity): how far the leading pair alone and
// the combined speed miss the front's true mean speed.
Errors speed_errors(double jitter_s, double accel_sd, double reach_m, std::uint64_t seed) {
  TimingSpread spread(3.0);
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> speed(9, 18), footprint(2.5, 6);
  std::normal_distribution<double> jitter(0, jitter_s), accel(0, accel_sd);
  Errors e;
  const int passes = 20000, scored_from = 5000;  // let it learn first
  for (int i = 0; i < passes; ++i) {
    const double v = speed(rng), a = accel(rng), lf = footprint(rng);
    auto at = [&](double d) { return a == 0 ? d / v : (-v + std::sqrt(v * v + 2 * a * d)) / a; };
    const double on1 = jitter(rng), on2 = at(3.0 - reach_m) + jitter(rng);
    const double off1 = at(1.5 + lf) + jitter(rng), off2 = at(4.5 + reach_m + lf) + jitter(rng);
    const PassTiming p{on2 - on1, off2 - off1, 0.5 * ((off1 + off2) - (on1 + on2))};
    spread.observe(p);
    if (i < scored_from) continue;
    const double truth = 3.0 / at(3.0);
    const double lead = 3.0 / p.transit_lead_s / truth - 1, combined = spread.speed(p) / truth - 1;
    e.lead_rms += lead * lead;
    e.combined_rms += combined * combined;
    e.lead_mean += lead;
    e.combined_mean += combined;
  }
  const double n = passes - scored_from;
  e.lead_rms = std::sqrt(e.lead_rms / n);
  e.combined_rms = std::sqrt(e.combined_rms / n);
  e.lead_mean /= n;
  e.combined_mean /= n;
  return e;
}

}  // namespace

TEST_CASE("with noisy cards and calm traffic the trailing pair takes noise off the speed", "[detect]") {
  const Errors e = speed_errors(4e-3, 0.1, 0.0, 21);
  CHECK(e.combined_rms < 0.85 * e.lead_rms);
}

TEST_CASE("with good cards and accelerating traffic the speed stays the leading pair's", "[detect]") {
  const Errors e = speed_errors(0.3e-3, 0.8, 0.0, 22);
  CHECK(e.combined_rms < 1.05 * e.lead_rms);
}

TEST_CASE("unequal card sensitivity does not bias the combined speed", "[detect]") {
  // The second card reaches 5 cm further: the leading pair reads fast by a
  // constant share (calibration removes it) and the trailing pair slow by
  // the same share. Combining must not let the trailing pair's opposite
  // offset in.
  const Errors e = speed_errors(3e-3, 0.2, 0.05, 23);
  INFO("lead mean " << e.lead_mean << ", combined mean " << e.combined_mean);
  CHECK(std::abs(e.combined_mean - e.lead_mean) < 0.001);
  CHECK(e.combined_rms < e.lead_rms);
}
