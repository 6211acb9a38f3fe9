// Two (or three) vehicles whose returns ran into one another without a gap
// or a clear frequency jump: their joint sweep fits the line-of-sight model
// badly, the parts on either side of the hand-over fit it well
// (docs/detection.md, "Radar").
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <utility>
#include <vector>

#include "daemon/detect/radar_geometry.hpp"
#include "daemon/detect/radar_segmenter.hpp"

namespace roadspeed {

// The segment's blocks as sweep samples, times relative to `t0_ns`.
std::vector<SweepSample> sweep_samples(const RadarSegment& s, std::int64_t t0_ns);

// `s` itself when the model fits it; else its parts at the best split,
// each split again where needed.
std::vector<RadarSegment> split_merged(const RadarSegment& s, const SweepModel& m);

// split_merged in pieces, for the daemon's event loop, which must come back
// to its GPIO lines within about 1.7 ms (docs/benchmarks.md, "Backlog"):
// the search over a long merged sweep is a hundred fits or more. Each run()
// goes through the same search again, fits what it has not fitted yet until
// `budget` (blocks fitted, one fit at least) is spent, and gives the parts
// once nothing is left to fit: the same parts as split_merged. One object
// per segment; `s` and `m` the same at every call.
class SplitSearch {
 public:
  std::optional<std::vector<RadarSegment>> run(const RadarSegment& s, const SweepModel& m, std::size_t& budget);

 private:
  struct Pass;  // one walk through the search (radar_split.cpp)
  // Misfit of each stretch [from, to) of the segment's blocks fitted so far.
  std::map<std::pair<std::size_t, std::size_t>, std::optional<double>> memo_;
  std::vector<SweepSample> samples_;  // one buffer for every fit
};

}  // namespace roadspeed
