#include "daemon/service/latency_meter.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace roadspeed {
namespace {

constexpr double growth = 1.02;
constexpr double first_edge_ns = 1000;  // bucket 0 holds everything up to 1 µs

std::string milliseconds(std::int64_t ns) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f ms", static_cast<double>(ns) * 1e-6);
  return text;
}

}  // namespace

std::size_t LatencyMeter::bucket_of(std::int64_t ns) {
  if (static_cast<double>(ns) <= first_edge_ns) return 0;
  const auto b = static_cast<std::size_t>(std::ceil(std::log(static_cast<double>(ns) / first_edge_ns) / std::log(growth)));
  return std::min(b, bucket_count - 1);
}

std::int64_t LatencyMeter::upper_edge_ns(std::size_t bucket) {
  return static_cast<std::int64_t>(std::ceil(first_edge_ns * std::pow(growth, static_cast<double>(bucket))));
}

void LatencyMeter::add(std::int64_t ns) {
  ns = std::max<std::int64_t>(ns, 0);
  std::lock_guard lock(mutex_);
  ++counts_[bucket_of(ns)];
  ++count_;
  max_ns_ = std::max(max_ns_, ns);
}

std::uint64_t LatencyMeter::count() const {
  std::lock_guard lock(mutex_);
  return count_;
}

std::int64_t LatencyMeter::max_ns() const {
  std::lock_guard lock(mutex_);
  return max_ns_;
}

std::int64_t LatencyMeter::percentile_ns(double p) const {
  std::lock_guard lock(mutex_);
  if (count_ == 0) return 0;
  // Nearest rank: the smallest bucket with at least p % of the samples.
  const auto rank = static_cast<std::uint64_t>(std::ceil(p / 100 * static_cast<double>(count_)));
  std::uint64_t seen = 0;
  for (std::size_t b = 0; b < bucket_count; ++b) {
    seen += counts_[b];
    if (seen >= std::max<std::uint64_t>(rank, 1)) return std::min(upper_edge_ns(b), max_ns_);
  }
  return max_ns_;
}

std::string LatencyMeter::summary() const {
  const std::uint64_t n = count();
  if (n == 0) return "no vehicles";
  return "p50 " + milliseconds(percentile_ns(50)) + ", p99 " + milliseconds(percentile_ns(99)) + ", max " +
         milliseconds(max_ns()) + " (n " + std::to_string(n) + ")";
}

}  // namespace roadspeed
