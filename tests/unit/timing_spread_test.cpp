#include <catch2/catch.hpp>

#include <cmath>
#include <random>

#include "daemon/detect/timing_spread.hpp"

using roadspeed::PassTiming;
using roadspeed::TimingSpread;

namespace {

// Passes over a 3 m trap of 1.5 m loops with known card jitter (per edge)
// and acceleration spread; speeds and footprints vary as in traffic.
void feed(TimingSpread& spread, double jitter_s, double accel_sd, int passes, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> speed(6, 18), footprint(1.2, 9);
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
