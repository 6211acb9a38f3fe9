#include "daemon/store/bin_counts.hpp"

#include <algorithm>
#include <cmath>

namespace roadspeed::store {
namespace {

constexpr std::int64_t ns_per_s = 1'000'000'000;
constexpr std::int64_t one_s_ns = ns_per_s;
constexpr std::int64_t two_s_ns = 2 * ns_per_s;

void add_into(std::vector<std::uint64_t>& into, const std::vector<std::uint64_t>& from) {
  if (into.size() < from.size()) into.resize(from.size(), 0);
  for (std::size_t i = 0; i < from.size(); ++i) into[i] += from[i];
}

}  // namespace

std::int64_t bin_start_s(std::int64_t t_ns) {
  // Floor division: times before 1970 still fall in the bin that holds them.
  std::int64_t s = t_ns / ns_per_s;
  if (t_ns % ns_per_s < 0) --s;
  std::int64_t b = s / bin_length_s;
  if (s % bin_length_s < 0) --b;
  return b * bin_length_s;
}

std::int64_t hour_start_s(std::int64_t bin_start_s) {
  std::int64_t h = bin_start_s / hour_length_s;
  if (bin_start_s % hour_length_s < 0) --h;
  return h * hour_length_s;
}

void BinCounts::add_speed(double speed_kmh, const SpeedLimits& limits) {
  ++with_speed;
  sum_kmh += speed_kmh;
  sum_sq_kmh2 += speed_kmh * speed_kmh;
  max_kmh = std::max(max_kmh.value_or(speed_kmh), speed_kmh);
  const auto k = static_cast<std::size_t>(std::clamp(std::floor(speed_kmh), 0.0, double(histogram_top_kmh)));
  if (histogram.size() <= k) histogram.resize(k + 1, 0);
  ++histogram[k];
  if (speed_kmh > limits.limit_kmh) ++over_limit;
  if (speed_kmh > limits.limit_kmh + 5) ++over_limit_5;
  if (speed_kmh > limits.limit_kmh + 30) ++over_limit_30;
  if (over_thresholds.size() < limits.thresholds_kmh.size()) over_thresholds.resize(limits.thresholds_kmh.size(), 0);
  for (std::size_t i = 0; i < limits.thresholds_kmh.size(); ++i)
    if (speed_kmh > limits.thresholds_kmh[i]) ++over_thresholds[i];
}

void BinCounts::add(std::optional<double> speed_kmh, std::optional<std::int64_t> headway_ns,
                    const SpeedLimits& limits) {
  ++vehicles;
  if (headway_ns && *headway_ns < one_s_ns) ++headway_lt1;
  if (headway_ns && *headway_ns < two_s_ns) ++headway_lt2;
  if (over_thresholds.size() < limits.thresholds_kmh.size()) over_thresholds.resize(limits.thresholds_kmh.size(), 0);
  if (speed_kmh) add_speed(*speed_kmh, limits);
}

void BinCounts::merge(const BinCounts& o) {
  vehicles += o.vehicles;
  with_speed += o.with_speed;
  sum_kmh += o.sum_kmh;
  sum_sq_kmh2 += o.sum_sq_kmh2;
  if (o.max_kmh) max_kmh = std::max(max_kmh.value_or(*o.max_kmh), *o.max_kmh);
  add_into(histogram, o.histogram);
  over_limit += o.over_limit;
  over_limit_5 += o.over_limit_5;
  over_limit_30 += o.over_limit_30;
  add_into(over_thresholds, o.over_thresholds);
  headway_lt1 += o.headway_lt1;
  headway_lt2 += o.headway_lt2;
}

void BinCounts::clear_speeds() {
  BinCounts kept;
  kept.vehicles = vehicles;
  kept.headway_lt1 = headway_lt1;
  kept.headway_lt2 = headway_lt2;
  kept.over_thresholds.assign(over_thresholds.size(), 0);
  *this = std::move(kept);
}

}  // namespace roadspeed::store
