#include "daemon/detect/timing_spread.hpp"

#include <algorithm>
#include <cmath>

namespace roadspeed {
namespace {

// Priors until enough traffic has been seen: typical cards and calm traffic.
constexpr double prior_jitter_s = 1.5e-3;
constexpr double prior_accel_sd = 0.5;
constexpr double prior_weight = 50;  // vehicles' worth of belief in the priors
// Floors: a fit at zero would trust one of the pairs blindly.
constexpr double min_jitter_s = 0.05e-3;
constexpr double min_accel_sd = 0.05;
constexpr double forgetting = 1.0 / 2000;  // memory of about 2000 vehicles
// A pass whose disagreement is far beyond the model is a pairing or
// acceleration outlier: it must not drag the fit.
constexpr double outlier_factor = 16;
// Beyond this many standard deviations a pass's trailing pair is not used
// for its speed.
constexpr double outlier_sigmas = 3;

}  // namespace

TimingSpread::TimingSpread(double spacing_m)
    : spacing_m_(spacing_m), fitted_(solve()), jitter_s_(std::sqrt(fitted_.jitter_s_sq)) {}

TimingSpread::Variances TimingSpread::solve() const {
  Variances v{prior_accel_sd * prior_accel_sd, prior_jitter_s * prior_jitter_s};
  const double det = s_aa_ * s_bb_ - s_ab_ * s_ab_;
  // Until the passes span different speeds and lengths the fit is singular.
  if (weight_ > 0 && det > 1e-9 * s_aa_ * s_bb_) {
    v.accel_mps2_sq = std::max(min_accel_sd * min_accel_sd, (s_ar_ * s_bb_ - s_br_ * s_ab_) / det);
    v.jitter_s_sq = std::max(min_jitter_s * min_jitter_s, (s_br_ * s_aa_ - s_ar_ * s_ab_) / det);
  }
  return v;
}

double TimingSpread::accel_sd_mps2() const { return std::sqrt(fitted_.accel_mps2_sq); }

void TimingSpread::observe(const PassTiming& p) {
  const double v_lead = spacing_m_ / p.transit_lead_s;
  const double v_trail = spacing_m_ / p.transit_trail_s;
  const double v = 0.5 * (v_lead + v_trail);
  const double x_accel = (p.midpoint_gap_s * p.midpoint_gap_s) / (v * v);
  const double inv_lead2 = 1.0 / (p.transit_lead_s * p.transit_lead_s);
  const double inv_trail2 = 1.0 / (p.transit_trail_s * p.transit_trail_s);

  const auto [sigma_a2, sigma_t2] = fitted_;

  const double r = (v_trail - v_lead) / v;
  learn_bias(v, r);
  const double x_jitter = 2 * (inv_lead2 + inv_trail2);
  const double predicted = sigma_a2 * x_accel + sigma_t2 * x_jitter;
  if (r * r < outlier_factor * predicted) {
    learn(r * r, x_accel, x_jitter, predicted);
    // The fit moves slowly (a memory of 2000 passes): refitting now and
    // then is as good as after every pass, and cheaper.
    if (++since_refit_ == refit_every) {
      since_refit_ = 0;
      fitted_ = solve();
      jitter_s_ = std::sqrt(fitted_.jitter_s_sq);
    }
  }
}

// r^2 scatters like a chi-square: its spread is proportional to its
// expectation. Weighting each pass by 1/predicted^2 keeps the few fast or
// slow passes, whose r^2 is largest, from dominating the fit.
void TimingSpread::learn(double r2, double x_accel, double x_jitter, double predicted) {
  if (weight_ == 0) {
    // Seed the normal equations with the priors as `prior_weight` typical passes.
    const double xa = 0.4 * 0.4 / (12.0 * 12.0), xb = 4.0 / (0.25 * 0.25);
    const double r2p = prior_accel_sd * prior_accel_sd * xa + prior_jitter_s * prior_jitter_s * xb;
    const double w = prior_weight / (r2p * r2p);
    s_aa_ = w * xa * xa;
    s_ab_ = w * xa * xb;
    s_bb_ = w * xb * xb;
    s_ar_ = w * xa * r2p;
    s_br_ = w * xb * r2p;
    weight_ = prior_weight;
  }
  const double keep = 1 - forgetting;
  const double w = 1 / (predicted * predicted);
  s_aa_ = keep * s_aa_ + w * x_accel * x_accel;
  s_ab_ = keep * s_ab_ + w * x_accel * x_jitter;
  s_bb_ = keep * s_bb_ + w * x_jitter * x_jitter;
  s_ar_ = keep * s_ar_ + w * x_accel * r2;
  s_br_ = keep * s_br_ + w * x_jitter * r2;
  weight_ = keep * weight_ + 1;
}

// The trailing pair's systematic disagreement: unequal card sensitivity
// gives a constant relative offset, unequal card delays one that grows with
// speed, traffic that brakes or accelerates here on average either. A
// running least-squares line r = b0 + b1 v.
void TimingSpread::learn_bias(double v, double r) {
  const double keep = 1 - forgetting;
  b_n_ = keep * b_n_ + 1;
  b_v_ = keep * b_v_ + v;
  b_vv_ = keep * b_vv_ + v * v;
  b_r_ = keep * b_r_ + r;
  b_vr_ = keep * b_vr_ + v * r;
}

double TimingSpread::bias(double v) const {
  if (b_n_ < 20) return 0;
  const double det = b_n_ * b_vv_ - b_v_ * b_v_;
  if (det <= 1e-9 * b_n_ * b_vv_) return b_r_ / b_n_;
  const double b1 = (b_n_ * b_vr_ - b_v_ * b_r_) / det;
  const double b0 = (b_r_ - b1 * b_v_) / b_n_;
  return b0 + b1 * v;
}

// The front's mean speed between the loops: the leading pair, corrected
// towards the trailing pair (bias removed) by the share of the variance the
// trailing pair can remove. A disagreement far beyond the model is an
// accelerating vehicle: then the trailing pair says nothing about the front.
double TimingSpread::speed(const PassTiming& p) const {
  const double v_lead = spacing_m_ / p.transit_lead_s;
  const double v_trail = spacing_m_ / p.transit_trail_s;
  const double v = 0.5 * (v_lead + v_trail);
  const double r = (v_trail - v_lead) / v - bias(v);
  const double var_lead = 2 * fitted_.jitter_s_sq / (p.transit_lead_s * p.transit_lead_s);
  const double var_trail = 2 * fitted_.jitter_s_sq / (p.transit_trail_s * p.transit_trail_s) +
                           fitted_.accel_mps2_sq * (p.midpoint_gap_s * p.midpoint_gap_s) / (v * v);
  if (r * r > outlier_sigmas * outlier_sigmas * (var_lead + var_trail)) return v_lead;
  const double w = var_lead / (var_lead + var_trail);
  return v_lead + w * r * v;
}

}  // namespace roadspeed
