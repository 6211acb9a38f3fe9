// From the magnetic length a loop sees to the body length (docs/detection.md).
#pragma once

namespace roadspeed {

// A loop detects metal, not bodywork: bumpers, overhangs and (on high-floor
// trucks) the gap between the road and the chassis make the magnetic
// footprint shorter than the body. This adds back the typical shortfall,
// larger for footprints long enough to be trucks. What remains is a
// site-wide bias that calibration removes.
double body_length_from_footprint(double magnetic_length_m);

}  // namespace roadspeed
