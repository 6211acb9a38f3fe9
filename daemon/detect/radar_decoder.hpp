// The Doppler frequency of a radar's squared IF signal, a short block of
// cycles at a time (docs/detection.md, "Radar").
//
// A comparator squares the amplified IF signal onto the GPIO line, one pulse
// per Doppler cycle. What reaches us is imperfect: the phase jitters, a weak
// cycle misses the comparator's threshold (a doubled period) and noise adds a
// short extra pulse (a period cut in two). A block therefore takes its period
// from the median interval, counts the cycles its span holds by that period
// and divides: missed and extra pulses change neither the span nor the count.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

namespace roadspeed {

// Rising edges of one block; consecutive blocks share their boundary edge.
inline constexpr std::size_t radar_block_edges = 17;

struct RadarBlock {
  std::int64_t first_ns = 0;  // first rising edge
  std::int64_t last_ns = 0;   // last rising edge
  double f_hz = 0;            // cycles over the span
  double fill = 0;            // pulses seen per cycle: below 1 when cycles were missed
  bool regular = false;       // most intervals whole numbers of one period: a Doppler tone, not noise
  int vote = 0;               // sum over its pulses: +1 I leads Q (approaching), -1 Q leads; 0 without Q

  std::int64_t mid_ns() const { return first_ns + (last_ns - first_ns) / 2; }
  // A block to measure with: a regular tone, even if a weak one.
  bool strong() const { return regular && fill >= 0.35; }
};

// The block of rising edges `rises_ns` (in time order, at least 3, distinct
// times); empty when the edges do not span a positive time.
std::optional<RadarBlock> decode_block(std::span<const std::int64_t> rises_ns, int vote);

}  // namespace roadspeed
