#include "daemon/detect/footprint.hpp"

#include <algorithm>

namespace roadspeed {
namespace {

// Typical shortfall of the footprint: car-like vehicles about 0.3 m at
// each end; high-floor trucks about 0.9 m at the front and 1.2 m at the rear
// (domain.md: "much shorter for high-floor trucks"). Between the two
// footprint lengths the shortfall is interpolated.
constexpr double car_shortfall_m = 0.6;
constexpr double truck_shortfall_m = 2.1;
constexpr double car_footprint_max_m = 6.0;
constexpr double truck_footprint_min_m = 7.5;

}  // namespace

double body_length_from_footprint(double magnetic_length_m) {
  const double share = std::clamp((magnetic_length_m - car_footprint_max_m) /
                                      (truck_footprint_min_m - car_footprint_max_m),
                                  0.0, 1.0);
  return magnetic_length_m + car_shortfall_m + share * (truck_shortfall_m - car_shortfall_m);
}

}  // namespace roadspeed
