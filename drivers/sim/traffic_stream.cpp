#include "drivers/sim/traffic_stream.hpp"

#include <algorithm>
#include <cmath>

#include "drivers/sim/card_model.hpp"

namespace roadspeed::sim {
namespace {

constexpr double ns_per_s = 1e9;
// A wrong-way vehicle is let through only with the trap clear this long before
// and after it: on a one-way lane a driver meeting one would stop.
constexpr double wrong_way_clearance_s = 1.0;

std::int64_t to_ns(double s) { return std::llround(s * ns_per_s); }

}  // namespace

double profile_factor(const TrafficParams& traffic, std::int64_t t_ns) {
  if (!traffic.diurnal) return 1.0;
  const double hours = static_cast<double>(t_ns / 1'000'000) / 3.6e6 + traffic.utc_offset_h;
  double x = std::fmod(hours, 24.0) - 0.5;  // hours after the midpoint of hour 0
  if (x < 0) x += 24.0;
  const auto i = static_cast<std::size_t>(x);
  const double frac = x - static_cast<double>(i);
  return traffic.profile[i % 24] * (1.0 - frac) + traffic.profile[(i + 1) % 24] * frac;
}

TrafficStream::TrafficStream(const TrafficParams& traffic, const CardParams& cards, const StreamSetup& setup,
                             std::uint64_t seed)
    : traffic_(traffic), cards_(cards), setup_(setup), rng_(seed) {
  double peak = 1.0;
  if (traffic_.diurnal) peak = *std::max_element(traffic_.profile.begin(), traffic_.profile.end());
  const double lambda = setup_.volume_vph * peak / 3600.0;
  const double p = traffic_.platoon_share;
  const double h = 0.5 * (traffic_.platoon_headway_min_s + traffic_.platoon_headway_max_s);
  // The free rate is increasing in lambda, so the peak bounds it for thinning.
  free_rate_max_ = (1.0 - p) * lambda / (1.0 - p * h * lambda);
  generate();
}

SimVehicle TrafficStream::take() {
  SimVehicle v = std::move(*next_);
  next_.reset();
  const Recent r{v.t_ns, v.front_ns, v.motion, v.body.length_m, v.travels_reverse, v.last_ns};
  last_ = r;
  last_by_way_[v.travels_reverse ? 1 : 0] = r;
  generate();
  return v;
}

double TrafficStream::free_rate_per_s(std::int64_t t_ns) const {
  // Followers take p of the vehicles at a mean headway h; the free ones make
  // up the rest of the mean headway 1/lambda: p h + (1 - p) / r = 1 / lambda.
  const double lambda = setup_.volume_vph * profile_factor(traffic_, t_ns) / 3600.0;
  const double p = traffic_.platoon_share;
  const double h = 0.5 * (traffic_.platoon_headway_min_s + traffic_.platoon_headway_max_s);
  return (1.0 - p) * lambda / (1.0 - p * h * lambda);
}

std::int64_t TrafficStream::free_arrival(std::int64_t after_ns) {
  // Thinning (Lewis & Shedler): exact for a rate that varies over the day.
  std::int64_t t = after_ns;
  while (true) {
    const double gap_s = rng_.exponential(free_rate_max_);
    if (gap_s > static_cast<double>(setup_.end_ns - t) / ns_per_s) return setup_.end_ns;
    t += to_ns(gap_s);
    if (t >= setup_.end_ns) return t;
    if (rng_.uniform() * free_rate_max_ < free_rate_per_s(t)) return t;
  }
}

VehicleKind TrafficStream::draw_kind() {
  double total = 0;
  for (const auto& k : traffic_.kinds) total += k.share;
  double x = rng_.uniform() * total;
  for (int i = 0; i < vehicle_kind_count; ++i) {
    x -= traffic_.kinds[static_cast<std::size_t>(i)].share;
    if (x < 0) return static_cast<VehicleKind>(i);
  }
  return VehicleKind::car;
}

double TrafficStream::draw_accel() {
  const bool firm = rng_.chance(traffic_.accel_share);
  const double magnitude = rng_.uniform(traffic_.accel_min_mps2, traffic_.accel_max_mps2);
  const bool braking = rng_.chance(0.5);
  const double gentle = rng_.normal(0.0, traffic_.accel_sd_mps2);
  if (!firm) return gentle;
  return braking ? -magnitude : magnitude;
}

double TrafficStream::far_m(double length_m) const {
  return setup_.spacing_m + setup_.loop_length_m + max_margin_m + length_m;
}

// The earliest arrival at or after t_ns at which a follower moving as `m`
// stays min_gap_m behind the leader's rear while both are over the trap.
std::int64_t TrafficStream::clear_of_leader(const Recent& leader, std::int64_t t_ns, const Motion& m) const {
  const Motion& l = leader.motion;
  const double leader_exit = l.time_at(far_m(leader.length_m));  // leader's clock
  double h = static_cast<double>(t_ns - leader.t_ns) / ns_per_s;
  for (int iteration = 0; iteration < 400; ++iteration) {
    const double from = h + m.time_at(-max_margin_m);
    if (from >= leader_exit) break;
    // Gap left, as a quadratic in the leader's clock t.
    const double c2 = 0.5 * (l.a_mps2 - m.a_mps2);
    const double c1 = l.v_mps - m.v_mps + m.a_mps2 * h;
    const double c0 = -leader.length_m - traffic_.min_gap_m + m.v_mps * h - 0.5 * m.a_mps2 * h * h;
    auto gap = [&](double t) { return (c2 * t + c1) * t + c0; };
    double worst = std::min(gap(from), gap(leader_exit));
    if (c2 > 0) {
      const double vertex = -c1 / (2.0 * c2);
      if (vertex > from && vertex < leader_exit) worst = std::min(worst, gap(vertex));
    }
    if (worst >= 0) break;
    h += std::max(0.005, -worst / std::max(m.v_mps, speed_floor_mps));
  }
  return leader.t_ns + to_ns(h);
}

void TrafficStream::generate() {
  const TrafficParams& p = traffic_;
  SimVehicle v;
  v.wrong_way = setup_.one_way && rng_.chance(p.wrong_way_share);
  v.travels_reverse = setup_.reverse != v.wrong_way;
  const std::optional<Recent>& leader = last_by_way_[v.travels_reverse ? 1 : 0];
  const bool follows = last_ && leader && last_->travels_reverse == v.travels_reverse &&
                       rng_.chance(p.platoon_share);
  const double follow_headway_s = rng_.uniform(p.platoon_headway_min_s, p.platoon_headway_max_s);
  std::int64_t t = follows ? leader->t_ns + to_ns(follow_headway_s)
                           : free_arrival(last_ ? last_->t_ns : setup_.start_ns);

  const VehicleKind kind = draw_kind();
  const KindTraffic& k = p.kind(kind);
  v.body = draw_body(kind, k, rng_);
  const double sd = k.speed_sd_kmh.value_or(p.speed_sd_kmh);
  const double own_kmh = rng_.truncated_normal(p.speed_mean_kmh + k.speed_offset_kmh, sd, p.speed_min_kmh,
                                               p.speed_max_kmh);
  const double own_accel = draw_accel();
  const double follow_kmh = follows ? leader->motion.v_mps * 3.6 + rng_.normal(0.0, p.platoon_speed_sd_kmh) : 0;
  // A follower copies its leader's acceleration, give or take, never beyond the firm ones.
  const double follow_accel = follows ? std::clamp(leader->motion.a_mps2 + rng_.normal(0.0, p.accel_sd_mps2),
                                                   -p.accel_max_mps2, p.accel_max_mps2)
                                      : 0;
  const double kmh = follows ? std::clamp(follow_kmh, p.speed_min_kmh, p.speed_max_kmh) : own_kmh;
  v.motion.v_mps = kmh / 3.6;
  v.motion.a_mps2 = floor_accel(v.motion.v_mps, follows ? follow_accel : own_accel, far_m(v.body.length_m));

  if (leader) t = std::max(t, clear_of_leader(*leader, t, v.motion));
  const std::int64_t lead_in_ns = to_ns(-v.motion.time_at(-max_margin_m));
  if (last_ && last_->travels_reverse != v.travels_reverse)
    t = std::max(t, last_->last_ns + to_ns(wrong_way_clearance_s) + lead_in_ns);
  if (t >= setup_.end_ns) return;  // the stream has ended

  v.t_ns = t;
  // The truth follows the footprint's front: the metal a perfect loop would see first.
  const double inset = v.body.footprint.segments[0].from_m;
  const double at_first_s = v.motion.time_at(inset);
  v.front_ns = t + to_ns(at_first_s);
  v.headway_s = leader ? static_cast<double>(v.front_ns - leader->front_ns) / ns_per_s
                       : std::numeric_limits<double>::infinity();
  v.speed_kmh = setup_.spacing_m / (v.motion.time_at(inset + setup_.spacing_m) - at_first_s) * 3.6;
  fill_presence(v);
  const bool missed = kind == VehicleKind::two_wheeler && rng_.chance(cards_.two_wheeler_miss_prob);
  const int which = rng_.integer(0, 1);
  v.missed_loop = missed ? which : -1;
  next_ = std::move(v);
}

void TrafficStream::fill_presence(SimVehicle& v) {
  v.segments = v.body.footprint.count;
  v.first_ns = std::numeric_limits<std::int64_t>::max();
  v.last_ns = std::numeric_limits<std::int64_t>::min();
  for (int met = 0; met < 2; ++met) {
    const double lo = met * setup_.spacing_m;
    const double margin = setup_.margin_m[static_cast<std::size_t>(v.card_of(met))];
    for (int s = 0; s < v.segments; ++s) {
      const Span span = presence_span(v.motion, v.body.footprint.segments[static_cast<std::size_t>(s)], lo,
                                      lo + setup_.loop_length_m, margin);
      Interval& iv = v.presence[static_cast<std::size_t>(met)][static_cast<std::size_t>(s)];
      iv.start_ns = v.t_ns + to_ns(span.start_s);
      iv.end_ns = v.t_ns + to_ns(span.end_s);
      iv.jitter_on_ns = draw_jitter_ns(rng_, cards_.jitter_ms);
      iv.jitter_off_ns = draw_jitter_ns(rng_, cards_.jitter_ms);
      v.first_ns = std::min(v.first_ns, iv.start_ns);
      v.last_ns = std::max(v.last_ns, iv.end_ns);
    }
  }
}

}  // namespace roadspeed::sim
