// What a 15-minute bin holds for one detector, direction and class, and the
// arithmetic on it. The same type accumulates a batch before it is written,
// and the statistics merge stored bins into groups with it, so storage and
// statistics cannot disagree on what a count means.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

namespace roadspeed::store {

// Seconds in a bin; bins start at multiples of this since the epoch.
inline constexpr std::int64_t bin_length_s = 900;
// Seconds in a rollup row of `hour_bins`: four bins, aligned to UTC hours.
inline constexpr std::int64_t hour_length_s = 3600;
// Speeds from this on share the histogram's last 1 km/h bin.
inline constexpr std::size_t histogram_top_kmh = 300;

// The speeds a bin counts vehicles above: the detector's limit (the site's
// limit, or its bike-path limit on a bike path) and each named threshold.
struct SpeedLimits {
  double limit_kmh = 0;
  std::vector<double> thresholds_kmh;
};

std::int64_t bin_start_s(std::int64_t t_ns);
// The UTC hour that holds the bin starting at `bin_start_s`.
std::int64_t hour_start_s(std::int64_t bin_start_s);

struct BinCounts {
  std::uint64_t vehicles = 0;    // all, with or without a speed
  std::uint64_t with_speed = 0;
  double sum_kmh = 0;
  double sum_sq_kmh2 = 0;
  std::optional<double> max_kmh;
  std::vector<std::uint64_t> histogram;  // [k] = vehicles with k <= speed < k + 1 km/h
  std::uint64_t over_limit = 0;          // speed > limit
  std::uint64_t over_limit_5 = 0;        // speed > limit + 5 km/h
  std::uint64_t over_limit_30 = 0;       // speed > limit + 30 km/h
  std::vector<std::uint64_t> over_thresholds;  // per threshold, speed > its value
  std::uint64_t headway_lt1 = 0;               // headway under 1 s
  std::uint64_t headway_lt2 = 0;               // headway under 2 s (includes the above)

  void add(std::optional<double> speed_kmh, std::optional<std::int64_t> headway_ns, const SpeedLimits& limits);
  // Adds only the speed figures (histogram, sums, maxima, counts over).
  void add_speed(double speed_kmh, const SpeedLimits& limits);
  // Everything `other` counted; threshold counts are matched by position.
  void merge(const BinCounts& other);
  // Forgets the speed figures, keeping volume and headways.
  void clear_speeds();
};

}  // namespace roadspeed::store
