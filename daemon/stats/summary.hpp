// Per-detector, per-direction summary of detected vehicles: the figures a
// street office and the police read first (count, mean, V85, max, share over
// the limit, classes). Computed from per-vehicle rows, so it suits one trace
// (`roadspeed analyze --summary`); long periods go through the histograms.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <optional>
#include <vector>

#include "daemon/detect/vehicle.hpp"
#include "daemon/site/site.hpp"
#include "daemon/stats/percentile.hpp"

namespace roadspeed {

inline constexpr std::size_t vehicle_class_count = 6;  // VehicleClass::two_wheeler .. unclassified

struct SummaryRow {
  std::uint16_t detector = 0;  // index into Site::traps, then Site::radars
  Direction direction = Direction::forward;
  std::size_t vehicles = 0;             // every detected vehicle, with or without a speed
  std::size_t vehicles_with_speed = 0;
  // The limit this detector is judged against: the site's speed limit, or
  // its bike-path limit on a `bike_path` detector.
  double limit_kmh = 0;
  // Empty when no vehicle of the group has a speed.
  std::optional<double> mean_speed_kmh;
  std::optional<double> v85_kmh;  // nearest rank over the per-vehicle speeds
  std::optional<double> max_speed_kmh;
  // Share (0..1) of the vehicles with a speed that were faster than
  // limit_kmh; empty when none has a speed or the limit is not positive.
  std::optional<double> over_limit_share;
  std::array<std::size_t, vehicle_class_count> class_counts{};  // indexed by VehicleClass
};

// One row per detector and direction the site defines (forward, then reverse
// where the detector has one), in detector order, including directions that
// saw no vehicle: an empty row is news. Throws std::out_of_range for a
// vehicle whose detector is not in the site.
std::vector<SummaryRow> summarize(const Site& site, const std::vector<Vehicle>& vehicles);

// An aligned, human-readable table with units in the column heads.
void print_summary(std::ostream& out, const Site& site, const std::vector<SummaryRow>& rows);

}  // namespace roadspeed
