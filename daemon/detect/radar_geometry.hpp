// The line-of-sight model of a Doppler radar beside the road, and the fit of
// one vehicle's frequency sweep to it (docs/detection.md, "Radar").
//
// The radar stands `offset_m` to the side of the lane's centre line and looks
// along the road. A vehicle `x_m` ahead of it (along the road) is seen at the
// line-of-sight angle phi = atan(offset / x); its Doppler frequency is
//   f = k_hz_per_mps * v * cos(phi),  k = 2 f0 / c,
// so at constant speed f sweeps as the vehicle crosses the beam. Offset 0
// stands for a radar in line with the lane (looking along it, e.g. from a
// gantry): phi is then the beam angle itself, constant over the pass.
#pragma once

#include <optional>
#include <vector>

namespace roadspeed {

// Hz of Doppler shift per m/s of radial speed at `carrier_ghz`.
double doppler_hz_per_mps(double carrier_ghz);

// One frequency measurement: a short block of IF cycles.
struct SweepSample {
  double t_s = 0;     // block midpoint, seconds from the pass midpoint
  double f_hz = 0;    // mean frequency over the block
};

struct SweepModel {
  double k_hz_per_mps = 0;  // doppler_hz_per_mps(carrier)
  double angle_deg = 0;     // beam axis against the direction of travel
  double offset_m = 0;      // lane offset; 0: in line with the lane (constant angle)
  bool approaching = true;  // vehicle moves towards the radar (x decreases)
};

// The motion found for one pass; t = 0 at the pass midpoint.
struct SweepFit {
  double v_mps = 0;       // speed at t = 0
  double a_mps2 = 0;      // constant acceleration over the pass
  double x_m = 0;         // distance along the road ahead of the radar at t = 0
  double offset_m = 0;    // the model's offset (fitted when asked to)
  double rms_pct = 0;     // RMS residual relative to the mean frequency
  // Speed when the vehicle crosses the beam axis: where the beam is strongest
  // and the geometry best known. At t = 0 for a constant-angle radar.
  double reported_mps = 0;
  // The standard error of reported_mps, relative (%): from the scatter of the
  // samples about the fit and how well they pin the motion down. A short
  // stretch of a sweep leaves speed and position nearly interchangeable
  // (the same frequency from a faster vehicle further off the beam axis).
  double reported_sd_pct = 0;
};

// Doppler frequency of a vehicle at `x_m` moving at `v_mps` under `m`.
double sweep_frequency_hz(const SweepModel& m, double v_mps, double x_m);

// Fits speed, acceleration and position (and, with fit_offset, the lane
// offset instead of the acceleration) to `samples`; empty when the fit does
// not converge or leaves the physical range. Needs at least 4 samples.
std::optional<SweepFit> fit_sweep(const SweepModel& m, const std::vector<SweepSample>& samples,
                                  bool fit_offset = false);

// fit_sweep(m, samples)->rms_pct alone (the same value), without what only a
// measured speed needs: all the split search compares.
std::optional<double> sweep_rms_pct(const SweepModel& m, const std::vector<SweepSample>& samples);

}  // namespace roadspeed
