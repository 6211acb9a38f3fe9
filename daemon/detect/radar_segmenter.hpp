// Vehicles from a radar's stream of strong blocks (docs/detection.md, "Radar").
//
// One vehicle's Doppler frequency changes smoothly over its pass. A new
// vehicle shows as a jump in frequency (a follower enters the beam at the
// far edge while its leader leaves at the near one), a change of direction
// (I/Q order), a gap without blocks, or a dip in the share of cycles the
// comparator caught (the weak returns between two vehicles at the beam
// edges, where one return hands over to the next). A stretch too short to be a pass is noise.
// A vehicle whose return an oncoming one outshone for a while (two lanes
// meeting in the beam) is taken up again where its sweep continues.
//
// What closes when depends on the blocks only: a segment can continue up to
// a time fixed by its own blocks and the oncoming ones seen before its gap
// was over, and segments close in the order of those times. So the same
// blocks give the same segments, in the same order, however often and
// whenever advance_to() is called between them (never past the first edge of
// a block still to come).
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

#include "daemon/detect/radar_decoder.hpp"

namespace roadspeed {

struct RadarSegment {
  std::vector<RadarBlock> blocks;  // strong blocks of one vehicle, in time order
  int vote = 0;                    // sum of their votes
  std::size_t full_blocks = 0;     // blocks with nearly every cycle caught
  std::size_t weak_run = 0;        // weak blocks since the last full one
  // Until when an oncoming vehicle's return may be hiding this one (0: not
  // hidden): the end of the last block of the other direction that came
  // before this segment's gap was over, plus that gap. Decided by the
  // blocks alone, never by when time was told; its own next block clears it.
  std::int64_t hidden_until_ns = 0;

  std::int64_t first_ns() const { return blocks.front().first_ns; }
  std::int64_t last_ns() const { return blocks.back().last_ns; }
};

class RadarSegmenter {
 public:
  // Followers this close in frequency are taken as the same vehicle.
  static constexpr double jump_tolerance = 0.03;
  // A vehicle needs this many strong blocks (about 100 cycles).
  static constexpr std::size_t min_blocks = 6;

  // Strong blocks, in time order. Segments that can no longer grow are
  // appended to `closed` (those too short to be a vehicle are dropped).
  void push(const RadarBlock& b, std::vector<RadarSegment>& closed);
  // Time has reached `t_ns`: closes what cannot grow any more.
  void advance_to(std::int64_t t_ns, std::vector<RadarSegment>& closed);
  void finish(std::vector<RadarSegment>& closed);

  // The earliest first_ns of an open segment; max() when none is open.
  std::int64_t earliest_open_ns() const;
  // Without new blocks, advance_to() closes nothing before this time.
  std::int64_t next_close_ns() const;

 private:
  static std::int64_t max_gap_ns(const RadarSegment& s);
  static double predicted_hz(const RadarSegment& s, std::int64_t t_ns);
  // The last time a block may begin and still continue `s`.
  static std::int64_t open_until_ns(const RadarSegment& s);
  void mark_hidden_by(const RadarSegment& oncoming);
  bool may_continue(std::size_t index, std::int64_t t_ns) const;
  static double tolerance(const RadarSegment& s, std::int64_t t_ns);
  static bool after_dip(const RadarSegment& s, const RadarBlock& b);
  void close(std::size_t index, std::vector<RadarSegment>& closed);

  std::vector<RadarSegment> open_;
};

}  // namespace roadspeed
