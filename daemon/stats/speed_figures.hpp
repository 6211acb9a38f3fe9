// Speed figures of a group, from its 1 km/h histogram and sums: what lets a
// year's report read thousands of bins instead of millions of vehicles.
#pragma once

#include <cstdint>
#include <optional>

#include "daemon/store/bin_counts.hpp"

namespace roadspeed::stats {

// The p-th percentile (0 < p <= 100): the midpoint k + 0.5 of the 1 km/h
// bin [k, k+1) that holds the nearest-rank vehicle (rank ceil(p·n/100)).
std::optional<double> histogram_percentile(const store::BinCounts& c, double p);

struct Pace {
  int from_kmh = 0;  // the band is [from, from + 10) km/h
  double share = 0;  // of the vehicles with a speed
};
// The 10 km/h band holding the most vehicles (the lowest such band on a tie).
std::optional<Pace> pace(const store::BinCounts& c);

std::optional<double> mean_kmh(const store::BinCounts& c);
// The sample standard deviation (n − 1); empty below two speeds.
std::optional<double> sd_kmh(const store::BinCounts& c);

}  // namespace roadspeed::stats
