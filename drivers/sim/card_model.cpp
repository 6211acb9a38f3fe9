#include "drivers/sim/card_model.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

namespace roadspeed::sim {
namespace {

constexpr double ns_per_ms = 1e6;
// Two edges of one burst are never closer than this (a card's output stage
// cannot switch faster), and a burst ends this long before the next edge.
constexpr std::int64_t min_separation_ns = 20'000;
constexpr int max_bounces = 10;

std::int64_t ms_to_ns(double ms) { return std::llround(ms * ns_per_ms); }
std::int64_t round_ns(double ns) { return std::llround(ns); }

}  // namespace

std::int64_t CardSettings::burst_max_ns() const {
  return static_cast<std::int64_t>(std::ceil(window_max_ns + bounces_max * (bounce_max_ns + 2.0 * min_separation_ns)));
}

CardSettings card_settings(const CardParams& c, bool second_card) {
  CardSettings s;
  s.on_delay_ns = ms_to_ns(c.on_delay_ms);
  s.off_delay_ns = ms_to_ns(c.off_delay_ms);
  s.offset_ns = second_card ? ms_to_ns(c.second_offset_ms) : 0;
  s.chatter_prob = c.chatter_prob;
  s.bounces_max = std::clamp(c.chatter_bounces_max, 1, max_bounces);
  s.window_min_ns = c.chatter_window_min_ms * ns_per_ms;
  s.window_max_ns = c.chatter_window_max_ms * ns_per_ms;
  s.bounce_min_ns = c.bounce_min_ms * ns_per_ms;
  s.bounce_max_ns = c.bounce_max_ms * ns_per_ms;
  return s;
}

std::int32_t draw_jitter_ns(Rng& rng, double jitter_ms) {
  return static_cast<std::int32_t>(std::llround(std::clamp(rng.normal(), -4.0, 4.0) * jitter_ms * ns_per_ms));
}

DetectorCard::DetectorCard(InputId input, const CardSettings& settings, std::uint64_t seed)
    : input_(input), settings_(settings), rng_(seed) {}

std::int64_t DetectorCard::respond(std::int64_t t_in_ns, std::uint8_t level, std::int32_t jitter_ns) const {
  const std::int64_t delay = (level ? settings_.on_delay_ns : settings_.off_delay_ns) + settings_.offset_ns;
  return t_in_ns + std::max(min_response_ns, delay + jitter_ns);
}

void DetectorCard::transition(std::int64_t t_in_ns, std::uint8_t level, std::int32_t jitter_ns) {
  std::int64_t t = respond(t_in_ns, level, jitter_ns);
  if (pending_ && t <= pending_->t_ns) {
    // The gap (or pulse) is shorter than the delays make visible: the card
    // never reports it. The output stays at the level before the pending edge.
    pending_.reset();
    return;
  }
  if (pending_) release(t);
  // Only after a cancellation can a jittered edge land before a burst already
  // queued; keep the output in order.
  t = std::max(t, last_out_ns_ + min_separation_ns);
  pending_ = Edge{t, input_, level};
}

void DetectorCard::advance(std::int64_t horizon_ns) {
  horizon_ns_ = std::max(horizon_ns_, horizon_ns);
  // Every later transition reaches the output at or after the horizon, so an
  // edge whose whole burst fits before it is final.
  if (pending_ && (horizon_ns_ == std::numeric_limits<std::int64_t>::max() ||
                   pending_->t_ns + settings_.burst_max_ns() < horizon_ns_))
    release(std::numeric_limits<std::int64_t>::max());
}

std::int64_t DetectorCard::complete_before() const {
  return pending_ ? std::min(pending_->t_ns, horizon_ns_) : horizon_ns_;
}

void DetectorCard::push(std::int64_t t_ns, std::uint8_t level) {
  out_.push_back(Edge{t_ns, input_, level});
  last_out_ns_ = t_ns;
}

void DetectorCard::release(std::int64_t bound_ns) {
  const Edge e = *pending_;
  pending_.reset();
  push(e.t_ns, e.level);
  if (!rng_.chance(settings_.chatter_prob)) return;
  // A burst: bounces begin at random moments within the window after the
  // real transition; all numbers are drawn before any is cut short by the
  // next edge, so the draws never depend on timing.
  const int n = rng_.integer(1, settings_.bounces_max);
  const double window = rng_.uniform(settings_.window_min_ns, settings_.window_max_ns);
  std::array<double, max_bounces> begin{};
  std::array<double, max_bounces> length{};
  for (int i = 0; i < n; ++i) {
    begin[static_cast<std::size_t>(i)] = rng_.uniform() * window;
    length[static_cast<std::size_t>(i)] = rng_.uniform(settings_.bounce_min_ns, settings_.bounce_max_ns);
  }
  std::sort(begin.begin(), begin.begin() + n);
  const auto bounce_level = static_cast<std::uint8_t>(e.level ? 0 : 1);
  for (int i = 0; i < n; ++i) {
    const std::int64_t from =
        std::max(e.t_ns + round_ns(begin[static_cast<std::size_t>(i)]), last_out_ns_ + min_separation_ns);
    const std::int64_t to = from + std::max(min_separation_ns, round_ns(length[static_cast<std::size_t>(i)]));
    if (bound_ns != std::numeric_limits<std::int64_t>::max() && to + min_separation_ns >= bound_ns) break;
    push(from, bounce_level);
    push(to, e.level);
  }
}

}  // namespace roadspeed::sim
