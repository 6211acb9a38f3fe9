// One vehicle's pass over a trap: its motion, its magnetic footprint and the
// time spans in which that footprint is inside a loop's detection zone.
//
// Positions are in travel coordinates: u = 0 is the leading edge of the first
// loop the vehicle meets, the loops it meets span [0, L] and [D, D + L]. That
// holds both ways over the same pair of loops, which is what makes a trap's
// spacing D the same for forward and reverse traffic.
#pragma once

#include <array>
#include <cstdint>

#include "drivers/sim/random.hpp"
#include "drivers/sim/scenario.hpp"

namespace roadspeed::sim {

// The speed floor: no simulated vehicle drives slower than this over a trap.
inline constexpr double speed_floor_mps = 3.0 / 3.6;
// No detection zone reaches further than this beyond its loop; the pass of a
// vehicle begins with its front this far before the first loop.
inline constexpr double max_margin_m = 1.0;

// Constant acceleration through the pass; t = 0 when the front is at u = 0.
struct Motion {
  double v_mps = 10;  // at u = 0
  double a_mps2 = 0;

  // Seconds from the front at u = 0 to the front at `u_m` (negative before).
  double time_at(double u_m) const;
  double position_at(double t_s) const { return v_mps * t_s + 0.5 * a_mps2 * t_s * t_s; }
};

// Limits `a` so that the speed stays at or above speed_floor_mps for the front
// anywhere in [-max_margin_m, far_m]; that is the whole pass when far_m is the
// far end of the second loop plus max_margin_m plus the body length.
double floor_accel(double v_mps, double a_mps2, double far_m);

// Metal along the body, as distances behind the front; two segments when a
// trailer hitch leaves a gap.
struct Segment {
  double from_m = 0;
  double to_m = 0;
};
struct Footprint {
  std::array<Segment, 2> segments{};
  int count = 0;
};

struct Body {
  VehicleKind kind = VehicleKind::car;
  double length_m = 4.5;
  Footprint footprint;
};

// Draws a body of `kind`: its length, its insets and (articulated) its hitch gap.
Body draw_body(VehicleKind kind, const KindTraffic& params, Rng& rng);

// Relative seconds [start, end] in which `segment` is inside the zone of the
// loop spanning [lo_m, hi_m] whose card senses `margin_m` beyond it.
struct Span {
  double start_s = 0;
  double end_s = 0;
};
Span presence_span(const Motion& m, const Segment& segment, double lo_m, double hi_m, double margin_m);

}  // namespace roadspeed::sim
