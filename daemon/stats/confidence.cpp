#include "daemon/stats/confidence.hpp"

#include <cmath>
#include <stdexcept>

namespace roadspeed::stats {
namespace {

constexpr double z975 = 1.959963984540054;

// Continued fraction of the regularised incomplete beta function, by the
// modified Lentz method; converges for x < (a + 1) / (a + b + 2).
double beta_fraction(double a, double b, double x) {
  constexpr double tiny = 1e-300;
  double c = 1, d = 1 - (a + b) * x / (a + 1);
  d = 1 / (std::abs(d) < tiny ? tiny : d);
  double h = d;
  for (int m = 1; m < 300; ++m) {
    const double m2 = 2.0 * m;
    for (const double num : {m * (b - m) * x / ((a + m2 - 1) * (a + m2)),
                             -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1))}) {
      d = 1 + num * d;
      d = 1 / (std::abs(d) < tiny ? tiny : d);
      c = 1 + num / c;
      if (std::abs(c) < tiny) c = tiny;
      h *= d * c;
    }
    if (std::abs(d * c - 1) < 1e-15) break;
  }
  return h;
}

// I_x(a, b).
double incomplete_beta(double a, double b, double x) {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const double front = std::exp(std::lgamma(a + b) - std::lgamma(a) - std::lgamma(b) + a * std::log(x) +
                                b * std::log1p(-x));
  if (x < (a + 1) / (a + b + 2)) return front * beta_fraction(a, b, x) / a;
  return 1 - front * beta_fraction(b, a, 1 - x) / b;
}

// P(|T| > t) for Student's t with df degrees of freedom.
double two_sided_tail(double t, double df) { return incomplete_beta(df / 2, 0.5, df / (df + t * t)); }

}  // namespace

double t975(double df) {
  if (!(df >= 1)) throw std::invalid_argument("t975: needs at least one degree of freedom");
  // The tail falls monotonically in t: bisect between z (df = ∞) and a bound
  // above df = 1's 12.71.
  double lo = z975, hi = 20;
  for (int i = 0; i < 200 && hi - lo > 1e-12; ++i) {
    const double mid = (lo + hi) / 2;
    (two_sided_tail(mid, df) > 0.05 ? lo : hi) = mid;
  }
  return (lo + hi) / 2;
}

std::optional<Interval> mean_interval(std::uint64_t n, double sum, double sum_sq) {
  if (n < 2) return std::nullopt;
  const double count = static_cast<double>(n);
  const double mean = sum / count;
  const double var = std::max(0.0, (sum_sq - sum * mean) / (count - 1));
  const double half = t975(count - 1) * std::sqrt(var / count);
  return Interval{mean, mean - half, mean + half};
}

std::optional<Interval> wilson_interval(std::uint64_t hits, std::uint64_t n) {
  if (n == 0) return std::nullopt;
  const double count = static_cast<double>(n);
  const double p = static_cast<double>(hits) / count;
  const double z2 = z975 * z975;
  const double centre = (p + z2 / (2 * count)) / (1 + z2 / count);
  const double half = z975 / (1 + z2 / count) * std::sqrt(p * (1 - p) / count + z2 / (4 * count * count));
  return Interval{p, std::max(0.0, centre - half), std::min(1.0, centre + half)};
}

}  // namespace roadspeed::stats
