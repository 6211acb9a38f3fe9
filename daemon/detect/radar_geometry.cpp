#include "daemon/detect/radar_geometry.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <numbers>

namespace roadspeed {
namespace {

constexpr double speed_of_light_mps = 299'792'458.0;
constexpr double deg = std::numbers::pi / 180.0;

// Physical range of a fit; outside it the pass is not a vehicle we can measure.
constexpr double min_speed_mps = 0.5;
constexpr double max_speed_mps = 80.0;
constexpr double max_accel_mps2 = 8.0;
constexpr double min_offset_m = 0.2;
constexpr double max_offset_m = 60.0;
constexpr int max_iterations = 60;

// Parameters of the Levenberg-Marquardt fit, in this order.
enum Param { v, a, x, d, param_count };
using Params = std::array<double, param_count>;

struct Problem {
  const SweepModel& model;
  const std::vector<SweepSample>& samples;
  std::array<bool, param_count> free{};
};

double model_hz(const SweepModel& m, const Params& p, double t_s) {
  const double travelled = p[v] * t_s + 0.5 * p[a] * t_s * t_s;
  const double x_now = p[x] + (m.approaching ? -travelled : travelled);
  const double speed = p[v] + p[a] * t_s;
  if (m.offset_m == 0.0) return m.k_hz_per_mps * speed * std::cos(m.angle_deg * deg);
  return m.k_hz_per_mps * speed * std::abs(x_now) / std::hypot(x_now, p[d]);
}

// model_hz and its derivatives by each parameter, analytically: the fit's
// Jacobian, at the cost of one evaluation instead of two per parameter.
double model_hz_gradient(const SweepModel& m, const Params& p, double t_s, Params& grad) {
  const double speed = p[v] + p[a] * t_s;
  if (m.offset_m == 0.0) {
    const double c = m.k_hz_per_mps * std::cos(m.angle_deg * deg);
    grad = {c, c * t_s, 0.0, 0.0};
    return c * speed;
  }
  const double sign = m.approaching ? -1.0 : 1.0;  // how x moves as the vehicle travels
  const double x_now = p[x] + sign * (p[v] * t_s + 0.5 * p[a] * t_s * t_s);
  const double r2 = x_now * x_now + p[d] * p[d];
  const double r = std::sqrt(r2);
  const double g = std::abs(x_now) / r;                                  // cos of the line-of-sight angle
  const double dg_dx = (x_now < 0 ? -1.0 : 1.0) * p[d] * p[d] / (r2 * r);
  const double dg_dd = -std::abs(x_now) * p[d] / (r2 * r);
  const double k = m.k_hz_per_mps;
  grad = {k * (g + speed * dg_dx * sign * t_s), k * (t_s * g + speed * dg_dx * sign * 0.5 * t_s * t_s),
          k * speed * dg_dx, k * speed * dg_dd};
  return k * speed * g;
}

double cost(const Problem& pr, const Params& p) {
  double sum = 0;
  for (const SweepSample& s : pr.samples) {
    const double r = s.f_hz - model_hz(pr.model, p, s.t_s);
    sum += r * r;
  }
  return sum;
}

// Solves the small normal equations A x = b in place (Gaussian elimination
// with partial pivoting); false when A is singular.
template <std::size_t N>
bool solve(std::array<std::array<double, N>, N>& A, std::array<double, N>& b) {
  for (std::size_t c = 0; c < N; ++c) {
    std::size_t pivot = c;
    for (std::size_t r = c + 1; r < N; ++r)
      if (std::abs(A[r][c]) > std::abs(A[pivot][c])) pivot = r;
    if (!(std::abs(A[pivot][c]) > 1e-300)) return false;
    std::swap(A[c], A[pivot]);
    std::swap(b[c], b[pivot]);
    for (std::size_t r = c + 1; r < N; ++r) {
      const double f = A[r][c] / A[c][c];
      for (std::size_t k = c; k < N; ++k) A[r][k] -= f * A[c][k];
      b[r] -= f * b[c];
    }
  }
  for (std::size_t c = N; c-- > 0;) {
    for (std::size_t k = c + 1; k < N; ++k) b[c] -= A[c][k] * b[k];
    b[c] /= A[c][c];
  }
  return true;
}

using Matrix = std::array<std::array<double, param_count>, param_count>;

// The normal equations J'J and J'r at `p`, the free parameters only. A
// rejected step tries again from the same `p` with more damping: these stay
// the same, so they are built once per accepted point, not once per try.
struct NormalEquations {
  Matrix JtJ{};
  Params Jtr{};
};

NormalEquations normal_equations(const Problem& pr, const Params& p) {
  NormalEquations ne;
  for (const SweepSample& s : pr.samples) {
    Params J{};
    const double r = s.f_hz - model_hz_gradient(pr.model, p, s.t_s, J);
    for (int j = 0; j < param_count; ++j)
      if (!pr.free[j]) J[j] = 0.0;
    // J'J is symmetric: each product once (J[i] J[j] == J[j] J[i] exactly).
    for (int i = 0; i < param_count; ++i) {
      ne.Jtr[i] += J[i] * r;
      for (int j = i; j < param_count; ++j) ne.JtJ[i][j] += J[i] * J[j];
    }
  }
  for (int i = 0; i < param_count; ++i)
    for (int j = 0; j < i; ++j) ne.JtJ[i][j] = ne.JtJ[j][i];
  return ne;
}

// One damped Gauss-Newton step from `p`; the free parameters only.
std::optional<Params> lm_step(const Problem& pr, const NormalEquations& ne, const Params& p, double lambda) {
  Matrix JtJ = ne.JtJ;
  Params Jtr = ne.Jtr;
  for (int j = 0; j < param_count; ++j) {
    if (pr.free[j]) {
      JtJ[j][j] *= 1.0 + lambda;
    } else {  // a fixed parameter: identity row, zero step
      JtJ[j] = {};
      JtJ[j][j] = 1.0;
      Jtr[j] = 0.0;
    }
  }
  if (!solve(JtJ, Jtr)) return std::nullopt;
  Params next = p;
  for (int j = 0; j < param_count; ++j) next[j] += Jtr[j];
  return next;
}

bool physical(const Params& p) {
  return p[v] > min_speed_mps && p[v] < max_speed_mps && std::abs(p[a]) < max_accel_mps2 && p[x] > 0 &&
         p[d] >= min_offset_m && p[d] <= max_offset_m;
}

// The fitted parameters and their cost (sum of squared residuals).
struct Solution {
  Params p;
  double cost = 0;
};

std::optional<Solution> levenberg_marquardt(const Problem& pr, Params p) {
  double lambda = 1e-3;
  double c = cost(pr, p);
  NormalEquations ne = normal_equations(pr, p);
  for (int it = 0; it < max_iterations; ++it) {
    const auto next = lm_step(pr, ne, p, lambda);
    if (!next) return std::nullopt;
    const double c_next = cost(pr, *next);
    if (c_next <= c && physical(*next)) {
      const bool converged = std::abs((*next)[v] - p[v]) < 1e-9 * p[v] && c - c_next <= 1e-12 * c;
      p = *next;
      c = c_next;
      lambda = std::max(lambda / 3.0, 1e-9);
      if (converged) break;
      ne = normal_equations(pr, p);
    } else {
      lambda *= 4.0;
      if (lambda > 1e9) break;
    }
  }
  return Solution{p, c};
}

// The constant-angle model is linear in (v, a): ordinary least squares.
std::optional<Params> fit_line(const SweepModel& m, const std::vector<SweepSample>& samples) {
  const double scale = m.k_hz_per_mps * std::cos(m.angle_deg * deg);
  double n = 0, st = 0, sf = 0, stt = 0, stf = 0;
  for (const SweepSample& s : samples) {
    n += 1;
    st += s.t_s;
    sf += s.f_hz;
    stt += s.t_s * s.t_s;
    stf += s.t_s * s.f_hz;
  }
  const double det = n * stt - st * st;
  if (!(det > 0) || !(scale > 0)) return std::nullopt;
  const double slope = (n * stf - st * sf) / det;
  const double intercept = (sf - slope * st) / n;
  return Params{intercept / scale, slope / scale, 1.0, 0.0};
}

// The variance of g . p at `p` for the free parameters of `pr`, per unit of
// residual variance: g' (J'J)^-1 g (linearised least squares). Infinite when
// J'J is singular: the samples do not determine the motion.
double variance_factor(const Problem& pr, const Params& p, const Params& g) {
  Matrix JtJ{};
  for (const SweepSample& s : pr.samples) {
    Params J{};
    model_hz_gradient(pr.model, p, s.t_s, J);
    for (int j = 0; j < param_count; ++j)
      if (!pr.free[j]) J[j] = 0.0;
    for (int i = 0; i < param_count; ++i)
      for (int j = 0; j < param_count; ++j) JtJ[i][j] += J[i] * J[j];
  }
  Params h = g;
  for (int j = 0; j < param_count; ++j) {
    if (!pr.free[j]) {
      JtJ[j] = {};
      JtJ[j][j] = 1.0;
      h[j] = 0.0;
    }
  }
  if (!solve(JtJ, h)) return std::numeric_limits<double>::infinity();  // h = (J'J)^-1 g
  double var = 0;
  for (int j = 0; j < param_count; ++j) var += g[j] * h[j];
  return var > 0 ? var : std::numeric_limits<double>::infinity();
}

// Seconds from t = 0 to the beam-axis crossing, within the samples' span.
double axis_time_s(const SweepModel& m, const Params& p, double first_s, double last_s) {
  if (m.offset_m == 0.0 || m.angle_deg <= 0.0) return 0.0;
  const double x_axis = p[d] / std::tan(m.angle_deg * deg);
  const double c = m.approaching ? p[x] - x_axis : x_axis - p[x];  // distance to travel
  double t = c / p[v];
  if (std::abs(p[a]) > 1e-9) {
    const double disc = p[v] * p[v] + 2.0 * p[a] * c;
    if (disc >= 0) t = (-p[v] + std::sqrt(disc)) / p[a];
  }
  return std::clamp(t, first_s, last_s);
}

}  // namespace

double doppler_hz_per_mps(double carrier_ghz) { return 2.0 * carrier_ghz * 1e9 / speed_of_light_mps; }

double sweep_frequency_hz(const SweepModel& m, double v_mps, double x_m) {
  return model_hz(m, Params{v_mps, 0.0, x_m, m.offset_m}, 0.0);
}

namespace {

// The motion that fits `samples` best and its cost; empty when the fit fails.
std::optional<Solution> solve_sweep(const SweepModel& m, const std::vector<SweepSample>& samples, bool fit_offset,
                                    double mean_hz) {
  if (m.offset_m == 0.0) {
    const auto p = fit_line(m, samples);
    if (!p || !(p->at(v) > min_speed_mps && p->at(v) < max_speed_mps)) return std::nullopt;
    return Solution{*p, cost(Problem{m, samples, {}}, *p)};
  }
  const double angle = std::max(m.angle_deg, 5.0) * deg;  // start on the beam axis
  const Params start{mean_hz / (m.k_hz_per_mps * std::cos(angle)), 0.0, m.offset_m / std::tan(angle), m.offset_m};
  Problem pr{m, samples, {true, !fit_offset, true, fit_offset}};
  // Its cost is the one the RMS below is taken from (cost() does not depend
  // on which parameters were free): no second pass over the samples.
  return levenberg_marquardt(pr, start);
}

double mean_frequency_hz(const std::vector<SweepSample>& samples) {
  double mean_hz = 0;
  for (const SweepSample& s : samples) mean_hz += s.f_hz;
  return mean_hz / static_cast<double>(samples.size());
}

}  // namespace

std::optional<double> sweep_rms_pct(const SweepModel& m, const std::vector<SweepSample>& samples) {
  if (samples.size() < 4) return std::nullopt;
  const double mean_hz = mean_frequency_hz(samples);
  const auto sol = solve_sweep(m, samples, false, mean_hz);
  if (!sol) return std::nullopt;
  const double rms = std::sqrt(sol->cost / static_cast<double>(samples.size()));
  return 100.0 * rms / mean_hz;
}

std::optional<SweepFit> fit_sweep(const SweepModel& m, const std::vector<SweepSample>& samples, bool fit_offset) {
  if (samples.size() < 4) return std::nullopt;
  const double mean_hz = mean_frequency_hz(samples);
  const auto sol = solve_sweep(m, samples, fit_offset, mean_hz);
  if (!sol) return std::nullopt;
  const Params& p = sol->p;
  const double rms = std::sqrt(sol->cost / static_cast<double>(samples.size()));
  SweepFit fit{p[v], p[a], p[x], p[d], 100.0 * rms / mean_hz, 0.0};
  const double t = axis_time_s(m, p, samples.front().t_s, samples.back().t_s);
  fit.reported_mps = fit.v_mps + fit.a_mps2 * t;
  // The reported speed is v + a t: its variance, from the residuals' (their
  // mean square over the degrees of freedom left) and the fit's geometry.
  const Problem pr{m, samples, {true, !fit_offset, m.offset_m != 0.0, fit_offset && m.offset_m != 0.0}};
  const double free_params = fit_offset ? 3.0 : (m.offset_m != 0.0 ? 3.0 : 2.0);
  const double n = static_cast<double>(samples.size());
  const double residual_var = n > free_params ? rms * rms * n / (n - free_params) : rms * rms;
  const double var = residual_var * variance_factor(pr, p, Params{1.0, fit_offset ? 0.0 : t, 0.0, 0.0});
  fit.reported_sd_pct = 100.0 * std::sqrt(var) / std::abs(fit.reported_mps);
  return fit;
}

}  // namespace roadspeed
