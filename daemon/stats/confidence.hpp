// 95 % confidence intervals as the Swedish speed index publishes them:
// Student's t for a mean, Wilson's score interval for a share.
#pragma once

#include <cstdint>
#include <optional>

namespace roadspeed::stats {

struct Interval {
  double estimate = 0;
  double low = 0;
  double high = 0;
};

// The two-sided 95 % quantile of Student's t with `df` degrees of freedom
// (t such that P(|T| <= t) = 0.95), df >= 1.
double t975(double df);

// Mean ± t975(n-1) · sd / √n; empty for fewer than two values.
std::optional<Interval> mean_interval(std::uint64_t n, double sum, double sum_sq);

// Wilson score interval (z = 1.959964) for `hits` of `n`; empty for n = 0.
std::optional<Interval> wilson_interval(std::uint64_t hits, std::uint64_t n);

}  // namespace roadspeed::stats
