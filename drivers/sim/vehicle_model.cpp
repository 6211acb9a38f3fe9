#include "drivers/sim/vehicle_model.hpp"

#include <algorithm>
#include <cmath>

namespace roadspeed::sim {

double Motion::time_at(double u_m) const {
  // The root of a/2 t^2 + v t - u = 0 nearest t = 0, in a form that has no
  // cancellation and needs no special case for a = 0.
  const double d = std::max(0.0, v_mps * v_mps + 2.0 * a_mps2 * u_m);
  return 2.0 * u_m / (v_mps + std::sqrt(d));
}

double floor_accel(double v_mps, double a_mps2, double far_m) {
  const double room = std::max(0.0, v_mps * v_mps - speed_floor_mps * speed_floor_mps);
  // Accelerating: slowest at the start of the pass (u = -max_margin_m).
  if (a_mps2 > 0) return std::min(a_mps2, room / (2.0 * max_margin_m));
  // Braking: slowest at its end (u = far_m).
  if (a_mps2 < 0) return std::max(a_mps2, -room / (2.0 * far_m));
  return 0.0;
}

Body draw_body(VehicleKind kind, const KindTraffic& p, Rng& rng) {
  Body b;
  b.kind = kind;
  b.length_m = rng.truncated_normal(p.length_mean_m, p.length_sd_m, p.length_min_m, p.length_max_m);
  const double front = rng.uniform(p.front_inset_min_m, p.front_inset_max_m);
  const double rear = rng.uniform(p.rear_inset_min_m, p.rear_inset_max_m);
  const double metal_end = std::max(front + 0.1, b.length_m - rear);
  if (p.hitch_gap_max_m > 0) {
    const double gap = rng.uniform(p.hitch_gap_min_m, p.hitch_gap_max_m);
    // The hitch sits between a third and three fifths of the way back:
    // a tractor unit's or a rigid truck's length, whichever this is.
    const double hitch = b.length_m * rng.uniform(0.35, 0.6);
    const double gap_from = std::clamp(hitch - 0.5 * gap, front + 0.1, metal_end - gap - 0.1);
    if (gap_from > front && gap_from + gap < metal_end) {
      b.footprint.segments[0] = {front, gap_from};
      b.footprint.segments[1] = {gap_from + gap, metal_end};
      b.footprint.count = 2;
      return b;
    }
  }
  b.footprint.segments[0] = {front, metal_end};
  b.footprint.count = 1;
  return b;
}

Span presence_span(const Motion& m, const Segment& segment, double lo_m, double hi_m, double margin_m) {
  // The segment's front edge enters the zone at lo - margin; its rear edge
  // leaves at hi + margin.
  return {m.time_at(lo_m - margin_m + segment.from_m), m.time_at(hi_m + margin_m + segment.to_m)};
}

}  // namespace roadspeed::sim
