#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include "daemon/service/latency_meter.hpp"

using roadspeed::LatencyMeter;

TEST_CASE("latency percentiles are read to within the 2 % bucket, never below the truth", "[service]") {
  LatencyMeter m;
  CHECK(m.summary() == "no vehicles");
  CHECK(m.percentile_ns(99) == 0);
  std::mt19937_64 rng(5);
  std::lognormal_distribution<double> ms(std::log(30.0), 1.0);
  std::vector<std::int64_t> samples;
  for (int i = 0; i < 5000; ++i) {
    samples.push_back(static_cast<std::int64_t>(ms(rng) * 1e6));
    m.add(samples.back());
  }
  std::sort(samples.begin(), samples.end());
  CHECK(m.count() == samples.size());
  CHECK(m.max_ns() == samples.back());
  for (double p : {50.0, 90.0, 99.0}) {
    // Nearest rank of the samples themselves.
    const auto rank = static_cast<std::size_t>(std::ceil(p / 100 * static_cast<double>(samples.size())));
    const double truth = static_cast<double>(samples[rank - 1]);
    const double got = static_cast<double>(m.percentile_ns(p));
    CHECK(got >= truth);
    CHECK(got <= truth * 1.021);
  }
  CHECK(m.percentile_ns(100) == samples.back());
}

TEST_CASE("latencies below a microsecond and negative ones land in the first bucket", "[service]") {
  LatencyMeter m;
  m.add(-5);
  m.add(200);
  CHECK(m.count() == 2);
  CHECK(m.percentile_ns(50) <= 1000);  // the first bucket's upper edge
  CHECK(m.max_ns() == 200);
  CHECK(m.summary() == "p50 0.0 ms, p99 0.0 ms, max 0.0 ms (n 2)");
}
