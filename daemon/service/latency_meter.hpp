// How late vehicles come out, as a histogram: from the last edge a vehicle
// was measured from to its detection, and to its committed row
// (docs/benchmarks.md, "Latency"). Buckets grow by 2 % from 1 µs, so a
// percentile is read to within 2 % whatever the spread, in fixed memory.
// Thread-safe: the event loop and the storage thread both add to it.
#pragma once

#include <array>
#include <cstdint>
#include <mutex>
#include <string>

namespace roadspeed {

class LatencyMeter {
 public:
  void add(std::int64_t ns);

  std::uint64_t count() const;
  // The upper edge of the bucket holding the p-th percentile (0 < p <= 100),
  // so never below the true value; 0 with no samples.
  std::int64_t percentile_ns(double p) const;
  std::int64_t max_ns() const;
  // "p50 1.2 ms, p99 4.8 ms, max 9.1 ms (n 1234)" or "no vehicles".
  std::string summary() const;

 private:
  static constexpr std::size_t bucket_count = 1200;  // 1 µs * 1.02^1200: beyond 10^4 s
  static std::size_t bucket_of(std::int64_t ns);
  static std::int64_t upper_edge_ns(std::size_t bucket);

  mutable std::mutex mutex_;
  std::array<std::uint64_t, bucket_count> counts_{};
  std::uint64_t count_ = 0;
  std::int64_t max_ns_ = 0;
};

}  // namespace roadspeed
