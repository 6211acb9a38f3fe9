#include "drivers/sim/radar_model.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>

#include "daemon/detect/radar_geometry.hpp"

namespace roadspeed::sim {
namespace {

constexpr double deg = std::numbers::pi / 180.0;
// The window is found on this grid; its ends are then exact to a step.
constexpr std::int64_t scan_step_ns = 1'000'000;
constexpr double max_line_of_sight_deg = 85;
constexpr std::int64_t never_ns = std::numeric_limits<std::int64_t>::max();

std::int64_t seconds_to_ns(double s) { return std::llround(s * 1e9); }

}  // namespace

RadarLane make_radar_lane(const Radar& radar, const RadarParams& p, bool reverse) {
  RadarLane lane;
  lane.k_hz_per_mps = doppler_hz_per_mps(radar.carrier_ghz);
  lane.angle_rad = radar.angle_deg * deg;
  const auto& given = reverse ? radar.reverse_offset_m : radar.forward_offset_m;
  lane.offset_m = given.value_or(reverse ? p.reverse_offset_m : p.forward_offset_m);
  lane.approaching = !reverse;
  lane.params = p;
  if (lane.offset_m == 0.0) {
    lane.x_near_m = p.footprint_near_m;
    lane.x_far_m = p.footprint_far_m;
    return lane;
  }
  const double d = lane.offset_m;
  const double psi = p.beam_half_width_deg * deg;
  const double widest = std::min(lane.angle_rad + psi, max_line_of_sight_deg * deg);
  const double r_max = p.reference_range_m / std::sqrt(p.detect_min);  // where 1/r^2 falls to detect_min
  lane.x_near_m = d / std::tan(widest);
  lane.x_far_m = std::sqrt(std::max(r_max * r_max - d * d, 1.0));
  if (lane.angle_rad - psi > 0) lane.x_far_m = std::min(lane.x_far_m, d / std::tan(lane.angle_rad - psi));
  lane.x_far_m = std::max(lane.x_far_m, lane.x_near_m + 1.0);
  return lane;
}

RadarPass::RadarPass(const RadarLane& lane, const SimVehicle& v, double strength)
    : lane_(lane), motion_(v.motion), t0_ns_(v.t_ns), length_m_(v.body.length_m), strength_(strength) {
  const double reach_m = lane_.x_far_m - lane_.x_near_m + length_m_;
  motion_.a_mps2 = floor_accel(motion_.v_mps, motion_.a_mps2, reach_m);  // nobody stops in the beam
  find_window();
}

double RadarPass::x_m(std::int64_t t_ns) const {
  const double u = motion_.position_at(seconds(t_ns));  // front, from the entry point
  return lane_.approaching ? lane_.x_far_m - u : lane_.x_near_m + u - length_m_;
}

double RadarPass::speed_mps(std::int64_t t_ns) const { return motion_.v_mps + motion_.a_mps2 * seconds(t_ns); }

double RadarPass::amplitude(std::int64_t t_ns) const {
  const double x = x_m(t_ns);
  const RadarParams& p = lane_.params;
  if (lane_.offset_m == 0.0) {
    const double s = (x - lane_.x_near_m) / (lane_.x_far_m - lane_.x_near_m);
    if (s <= 0 || s >= 1) return 0;
    const double g = std::sin(std::numbers::pi * s);
    return strength_ * g * g;
  }
  if (x <= 0) return 0;
  const double off = std::abs(std::atan2(lane_.offset_m, x) - lane_.angle_rad) / (p.beam_half_width_deg * deg);
  if (off >= 1) return 0;
  const double g = std::cos(0.5 * std::numbers::pi * off);
  const double r = std::hypot(x, lane_.offset_m);
  return strength_ * g * g * std::min(1.0, (p.reference_range_m / r) * (p.reference_range_m / r));
}

double RadarPass::frequency_hz(std::int64_t t_ns) const {
  const double v = speed_mps(t_ns);
  if (lane_.offset_m == 0.0) return lane_.k_hz_per_mps * v * std::cos(lane_.angle_rad);
  const double x = x_m(t_ns);
  return lane_.k_hz_per_mps * v * std::abs(x) / std::hypot(x, lane_.offset_m);
}

void RadarPass::find_window() {
  const double reach_m = lane_.x_far_m - lane_.x_near_m + length_m_;
  const std::int64_t end_ns = t0_ns_ + seconds_to_ns(motion_.time_at(reach_m));
  const RadarParams& p = lane_.params;
  // The comparator catches one cycle in three or more: a tone a decoder can follow.
  const double followable = p.detect_min + (p.detect_full - p.detect_min) / 3.0;
  from_ns_ = to_ns_ = t0_ns_;
  std::int64_t strong_from = never_ns, strong_to = never_ns;
  bool inside = false;
  for (std::int64_t t = t0_ns_; t <= end_ns; t += scan_step_ns) {
    const double a = amplitude(t);
    if (a < p.detect_min) continue;
    if (!inside) from_ns_ = t;
    inside = true;
    to_ns_ = t;
    if (a < followable) continue;
    if (strong_from == never_ns) strong_from = t;
    strong_to = t;
  }
  strong_from_ns_ = strong_from == never_ns ? from_ns_ : strong_from;
  strong_to_ns_ = strong_from == never_ns ? to_ns_ : strong_to;
  axis_ns_ = middle_ns();
  if (!inside) return;
  double x_axis = 0.5 * (lane_.x_near_m + lane_.x_far_m);
  if (lane_.offset_m > 0) {
    if (lane_.angle_rad <= 0) return;
    x_axis = lane_.offset_m / std::tan(lane_.angle_rad);
  }
  const double u = lane_.approaching ? lane_.x_far_m - x_axis : x_axis - lane_.x_near_m + length_m_;
  const std::int64_t t = t0_ns_ + seconds_to_ns(motion_.time_at(u));
  if (t >= from_ns_ && t <= to_ns_) axis_ns_ = t;
}

}  // namespace roadspeed::sim
