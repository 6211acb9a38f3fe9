// One vehicle's pass through a Doppler radar's beam (docs/simulator.md,
// "Radar"): where its reflecting face is, how strong its return is, and the
// Doppler frequency it makes, at any moment of the pass.
//
// Positions are along the road: x is how far ahead of the radar the
// reflecting face is (the front of an approaching vehicle, the rear of a
// receding one). The lane runs `offset_m` to the side of the radar; offset 0
// is a radar in line with the lane, whose line of sight is the beam angle
// over the whole of its footprint.
#pragma once

#include <cstdint>

#include "daemon/site/site.hpp"
#include "drivers/sim/scenario.hpp"
#include "drivers/sim/traffic_stream.hpp"

namespace roadspeed::sim {

struct RadarLane {
  double k_hz_per_mps = 0;
  double angle_rad = 0;
  double offset_m = 0;
  bool approaching = true;
  RadarParams params;
  double x_near_m = 0;  // the stretch of the lane the beam can reach
  double x_far_m = 0;
};

// The lane of `radar` that traffic in direction `reverse` drives, with the
// site's offset where it gives one, else the scenario's.
RadarLane make_radar_lane(const Radar& radar, const RadarParams& params, bool reverse);

class RadarPass {
 public:
  // `v.t_ns` is when the front reaches the far end of the beam's reach
  // (approaching) or the near end (receding).
  RadarPass(const RadarLane& lane, const SimVehicle& v, double strength);

  double x_m(std::int64_t t_ns) const;
  double speed_mps(std::int64_t t_ns) const;
  double accel_mps2() const { return motion_.a_mps2; }
  double amplitude(std::int64_t t_ns) const;   // 1: a car's return at full beam gain and short range
  double frequency_hz(std::int64_t t_ns) const;

  // The comparator can fire in [from_ns, to_ns]: amplitude >= detect_min.
  std::int64_t from_ns() const { return from_ns_; }
  std::int64_t to_ns() const { return to_ns_; }
  bool seen() const { return to_ns_ > from_ns_; }
  // The middle of the time the comparator fires on at least a third of the
  // cycles: the middle of the signal a detector can follow.
  std::int64_t middle_ns() const { return strong_from_ns_ + (strong_to_ns_ - strong_from_ns_) / 2; }
  std::int64_t strong_from_ns() const { return strong_from_ns_; }
  std::int64_t strong_to_ns() const { return strong_to_ns_; }
  // The face crosses the beam axis (in line: the middle of the footprint);
  // the middle of the window where the axis is never crossed.
  std::int64_t axis_ns() const { return axis_ns_; }
  const RadarLane& lane() const { return lane_; }

 private:
  double seconds(std::int64_t t_ns) const { return static_cast<double>(t_ns - t0_ns_) * 1e-9; }
  void find_window();

  RadarLane lane_;
  Motion motion_;
  std::int64_t t0_ns_ = 0;
  double length_m_ = 0;
  double strength_ = 1;
  std::int64_t from_ns_ = 0;
  std::int64_t to_ns_ = 0;
  std::int64_t axis_ns_ = 0;
  std::int64_t strong_from_ns_ = 0;
  std::int64_t strong_to_ns_ = 0;
};

}  // namespace roadspeed::sim
