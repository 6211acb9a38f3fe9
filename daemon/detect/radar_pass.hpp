// One radar pass as the segmenter closed it: the strong Doppler blocks of
// one vehicle (or of followers run together), before the geometry. What
// follows it (the split of merged passes, the lane offset, the fit, the
// limits) is what a calibration changes, so the journal keeps passes, not
// raw edges, and `roadspeed reanalyze` measures them again
// (docs/daemon.md, "Radar pass records").
#pragma once

#include <cstdint>

#include "daemon/detect/radar_segmenter.hpp"

namespace roadspeed {

struct RadarPass {
  std::uint16_t detector = 0;  // the radar's detector index (Vehicle::detector)
  std::int64_t closed_ns = 0;  // detection's time when the pass closed
  RadarSegment segment;
};

}  // namespace roadspeed
