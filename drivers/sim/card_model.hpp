// A loop detector card: turns the physical presence over its loop into output
// edges, late by its response delays and their per-detection jitter, with
// chatter bursts after some transitions. A gap or a pulse shorter than the
// delays' difference vanishes, as on a real card. Output is held back until
// no later input can change it, so it streams.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>

#include "drivers/edge.hpp"
#include "drivers/sim/random.hpp"
#include "drivers/sim/scenario.hpp"

namespace roadspeed::sim {

// No card answers faster than this, whatever the jitter: output follows input.
inline constexpr std::int64_t min_response_ns = 100'000;

struct CardSettings {
  std::int64_t on_delay_ns = 0;
  std::int64_t off_delay_ns = 0;
  std::int64_t offset_ns = 0;  // added to both delays: the second card of a trap
  double chatter_prob = 0;
  int bounces_max = 1;
  double window_min_ns = 0;
  double window_max_ns = 0;
  double bounce_min_ns = 0;
  double bounce_max_ns = 0;

  // The longest a chatter burst can last after its transition.
  std::int64_t burst_max_ns() const;
};

CardSettings card_settings(const CardParams& cards, bool second_card);

// One detection's deviation from the mean delay: N(0, jitter_ms), cut at 4 sigma.
std::int32_t draw_jitter_ns(Rng& rng, double jitter_ms);

class DetectorCard {
 public:
  DetectorCard(InputId input, const CardSettings& settings, std::uint64_t seed);

  // When this card reports a presence transition at `t_in_ns` to `level`,
  // given that detection's jitter. Pure: the truth uses it too.
  std::int64_t respond(std::int64_t t_in_ns, std::uint8_t level, std::int32_t jitter_ns) const;

  // The next presence transition: levels alternate from 1, times non-decreasing.
  void transition(std::int64_t t_in_ns, std::uint8_t level, std::int32_t jitter_ns);
  // No transition will come before `horizon_ns` (INT64_MAX: none at all).
  void advance(std::int64_t horizon_ns);

  // Every output edge earlier than this is queued and final.
  std::int64_t complete_before() const;
  bool has_output() const { return !out_.empty(); }
  const Edge& front() const { return out_.front(); }
  void pop() { out_.pop_front(); }
  std::size_t queued() const { return out_.size() + (pending_ ? 1 : 0); }

 private:
  void release(std::int64_t bound_ns);
  void push(std::int64_t t_ns, std::uint8_t level);

  InputId input_;
  CardSettings settings_;
  Rng rng_;
  std::optional<Edge> pending_;  // the latest edge: a later one may cancel it
  std::deque<Edge> out_;
  std::int64_t last_out_ns_ = INT64_MIN;
  std::int64_t horizon_ns_ = INT64_MIN;
};

}  // namespace roadspeed::sim
