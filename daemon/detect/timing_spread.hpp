// How a trap's leading-edge and trailing-edge speeds disagree on honest
// passes: the yardstick of the consistency test that decides whether two
// presences are one vehicle, and the weights that combine the two pairs into
// the reported speed (docs/detection.md, "Speed").
//
// The disagreement r = (v_trail - v_lead)/v of a pass has two causes: card
// jitter on the four edges and the vehicle's acceleration between the two
// pairs (the trailing pair times the rear, about one occupancy later). Its
// expected square is
//   E[r^2] = sigma_a^2 * dt^2/v^2 + sigma_t^2 * 2 (1/T_lead^2 + 1/T_trail^2)
// (dt: time between the two pairs' midpoints; T: transit times). The two
// terms vary differently with speed and length, so a weighted least-squares
// fit over recent passes separates card jitter (sigma_t) from acceleration
// (sigma_a). A running line r = b0 + b1 v learns the systematic part
// (unequal cards, braking traffic). Cards differ from site to site, so all
// of this is learnt per trap.
#pragma once

#include <cstdint>

namespace roadspeed {

struct PassTiming {
  double transit_lead_s = 0;   // second loop on - first loop on
  double transit_trail_s = 0;  // second loop off - first loop off
  double midpoint_gap_s = 0;   // trailing pair's midpoint - leading pair's midpoint
};

class TimingSpread {
 public:
  explicit TimingSpread(double spacing_m);

  // Learns from one accepted pass.
  void observe(const PassTiming& p);

  // The front's mean speed between the loops, m/s.
  double speed(const PassTiming& p) const;
  double jitter_s() const { return jitter_s_; }  // current estimate of one edge's timing jitter
  double accel_sd_mps2() const;  // current estimate of the acceleration spread

 private:
  struct Variances {
    double accel_mps2_sq;
    double jitter_s_sq;
  };
  Variances solve() const;
  void learn(double r2, double x_accel, double x_jitter, double predicted);
  void learn_bias(double v, double r);
  double bias(double v) const;

  double spacing_m_;
  // Exponentially weighted normal equations of r^2 ~ a*x_accel + b*x_jitter.
  double s_aa_ = 0, s_ab_ = 0, s_bb_ = 0, s_ar_ = 0, s_br_ = 0;
  // The same for the systematic part, r ~ b0 + b1*v.
  double b_n_ = 0, b_v_ = 0, b_vv_ = 0, b_r_ = 0, b_vr_ = 0;
  double weight_ = 0;
  Variances fitted_;
  double jitter_s_;
  static constexpr unsigned refit_every = 16;
  unsigned since_refit_ = 0;
};

}  // namespace roadspeed
