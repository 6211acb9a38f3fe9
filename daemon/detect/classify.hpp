// Length classes (spec/interfaces.md §3, docs/classes.md).
#pragma once

#include <optional>

#include "daemon/detect/vehicle.hpp"
#include "daemon/site/site.hpp"

namespace roadspeed {

// The class of a vehicle of `length_m` under the site's thresholds; a length
// exactly on a bound belongs to the shorter class.
VehicleClass classify_length(double length_m, const LengthClasses& classes);

// `unclassified` when there is no trustworthy length.
VehicleClass classify_length(std::optional<double> length_m, const LengthClasses& classes);

}  // namespace roadspeed
