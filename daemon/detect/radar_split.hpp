// Two (or three) vehicles whose returns ran into one another without a gap
// or a clear frequency jump: their joint sweep fits the line-of-sight model
// badly, the parts on either side of the hand-over fit it well
// (docs/detection.md, "Radar").
#pragma once

#include <cstdint>
#include <vector>

#include "daemon/detect/radar_geometry.hpp"
#include "daemon/detect/radar_segmenter.hpp"

namespace roadspeed {

// The segment's blocks as sweep samples, times relative to `t0_ns`.
std::vector<SweepSample> sweep_samples(const RadarSegment& s, std::int64_t t0_ns);

// `s` itself when the model fits it; else its parts at the best split,
// each split again where needed.
std::vector<RadarSegment> split_merged(const RadarSegment& s, const SweepModel& m);

}  // namespace roadspeed
