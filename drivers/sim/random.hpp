// Random numbers that are the same on every platform. std::mt19937_64 is
// specified bit for bit; the standard distributions and libm's log are not,
// so every distribution here is built from +, -, *, / and sqrt only (all
// correctly rounded by IEEE 754; the build has -ffp-contract=off).
#pragma once

#include <cstdint>
#include <random>

namespace roadspeed::sim {

// ln(x) for x > 0 from arithmetic alone: a few ulp, identical everywhere.
double portable_log(double x);

// An independent seed for sub-stream `stream` of a run seeded `seed` (splitmix64).
std::uint64_t derive_seed(std::uint64_t seed, std::uint64_t stream);

class Rng {
 public:
  explicit Rng(std::uint64_t seed) : engine_(seed) {}

  double uniform();                        // [0, 1), 53 bits
  double uniform(double lo, double hi);    // [lo, hi)
  bool chance(double p) { return uniform() < p; }
  int integer(int lo, int hi);             // lo..hi inclusive
  double normal();                         // N(0, 1), Marsaglia's polar method
  double normal(double mean, double sd) { return mean + sd * normal(); }
  // N(mean, sd) restricted to [lo, hi] by redrawing (clamped after 64 tries).
  double truncated_normal(double mean, double sd, double lo, double hi);
  double exponential(double rate);         // mean 1 / rate

 private:
  std::mt19937_64 engine_;
  double spare_ = 0;
  bool has_spare_ = false;
};

}  // namespace roadspeed::sim
