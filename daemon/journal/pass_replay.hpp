// The radars' vehicles measured again from the pass journal with the
// current site file: each recorded pass goes through the same geometry as
// in the daemon (RadarDetector::measure_pass), and the tailgate flag is set
// as VehicleDetector sets it, so the same site file gives the same rows.
#pragma once

#include <vector>

#include "daemon/detect/vehicle.hpp"
#include "daemon/journal/journal_coverage.hpp"
#include "daemon/site/site.hpp"

namespace roadspeed {

// The vehicles of the passes that closed in `window`, in time order. Where
// the pass journal has a gap (the daemon was down) measuring starts afresh,
// as the daemon did when it started again: the learnt lane offsets too.
std::vector<Vehicle> measure_passes(const JournalIndex& passes, const Site& site, const TimeSpan& window);

}  // namespace roadspeed
