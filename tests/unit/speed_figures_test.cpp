#include <catch2/catch.hpp>

#include <cmath>
#include <random>

#include "daemon/stats/percentile.hpp"
#include "daemon/stats/speed_figures.hpp"

namespace roadspeed::stats {
namespace {

store::BinCounts counts_of(const std::vector<double>& speeds_kmh) {
  store::BinCounts c;
  const store::SpeedLimits limits{30, {}};
  for (double s : speeds_kmh) c.add(s, std::nullopt, limits);
  return c;
}

// Speeds as detection reports them (0.01 km/h), from a mixture: most near
// the limit, a fast tail, some crawling (a skewed, two-humped distribution).
std::vector<double> mixed_speeds(std::uint32_t seed, std::size_t n) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> main(36, 6), fast(55, 8), slow(12, 3);
  std::uniform_int_distribution<int> pick(0, 99);
  std::vector<double> v;
  for (std::size_t i = 0; i < n; ++i) {
    const int k = pick(rng);
    const double s = k < 80 ? main(rng) : k < 92 ? fast(rng) : slow(rng);
    v.push_back(std::round(std::max(2.0, s) * 100) / 100);
  }
  return v;
}

TEST_CASE("histogram percentiles are within 0.5 km/h of the nearest-rank percentile for 100 vehicles or more",
          "[stats]") {
  double worst = 0;
  for (std::uint32_t seed = 1; seed <= 60; ++seed) {
    for (std::size_t n : {100, 137, 400, 2500}) {
      auto speeds = mixed_speeds(seed, n);
      const store::BinCounts c = counts_of(speeds);
      for (double p : {15.0, 50.0, 85.0, 95.0}) {
        const double exact = *nearest_rank_percentile(speeds, p);
        const double from_bins = *histogram_percentile(c, p);
        INFO("seed " << seed << ", n " << n << ", p " << p);
        CHECK(std::abs(from_bins - exact) <= 0.5);
        worst = std::max(worst, std::abs(from_bins - exact));
      }
    }
  }
  CHECK(worst > 0.05);  // the comparison is not against itself
}

TEST_CASE("percentiles stay within 0.5 km/h when the speeds sit on the histogram's bin edges", "[stats]") {
  // Whole km/h (the lower edge of a bin) and x.99 (just under the upper
  // one): the nearest-rank vehicle is as far from the bin's midpoint as it
  // can be, and floating-point floor must not move it to the next bin.
  for (std::uint32_t seed = 1; seed <= 40; ++seed) {
    for (std::size_t n : {100, 101, 250, 1000}) {
      std::vector<double> speeds = mixed_speeds(seed, n);
      for (std::size_t i = 0; i < speeds.size(); ++i)
        speeds[i] = i % 2 ? std::floor(speeds[i]) : std::floor(speeds[i]) + 0.99;
      const store::BinCounts c = counts_of(speeds);
      for (double p : {15.0, 50.0, 85.0, 95.0}) {
        const double exact = *nearest_rank_percentile(speeds, p);
        INFO("seed " << seed << ", n " << n << ", p " << p << ", exact " << exact);
        CHECK(std::abs(*histogram_percentile(c, p) - exact) <= 0.5);
        CHECK(*histogram_percentile(c, p) == std::floor(exact) + 0.5);  // the bin that holds it
      }
    }
  }
}

TEST_CASE("mean and standard deviation from the sums equal the direct computation", "[stats]") {
  const auto speeds = mixed_speeds(7, 1000);
  double sum = 0;
  for (double s : speeds) sum += s;
  const double mean = sum / 1000;
  double ss = 0;
  for (double s : speeds) ss += (s - mean) * (s - mean);
  const store::BinCounts c = counts_of(speeds);
  CHECK(*mean_kmh(c) == Approx(mean).epsilon(1e-12));
  CHECK(*sd_kmh(c) == Approx(std::sqrt(ss / 999)).epsilon(1e-9));
  CHECK_FALSE(sd_kmh(counts_of({30})));
  CHECK_FALSE(mean_kmh(counts_of({})));
}

TEST_CASE("the pace is the 10 km/h band with the most vehicles", "[stats]") {
  // [31, 41) holds 6 of 10, as does [32, 42); [30, 40) holds 5: the lowest best band wins.
  const auto c = counts_of({20, 25, 31, 32, 33.5, 35, 38, 40.5, 41.2, 60});
  const auto p = pace(c);
  REQUIRE(p);
  CHECK(p->from_kmh == 31);
  CHECK(p->share == Approx(0.6));
}

}  // namespace
}  // namespace roadspeed::stats
