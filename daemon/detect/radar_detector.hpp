// A Doppler radar on one GPIO line (optionally an I/Q pair): IF pulses ->
// vehicles, in both directions. Pure like LoopTrap: edges and the passing of
// time in, vehicles out. docs/detection.md ("Radar") explains the decoding,
// the segmentation, the geometry and the flags.
#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <optional>
#include <vector>

#include "daemon/detect/radar_geometry.hpp"
#include "daemon/detect/radar_offset.hpp"
#include "daemon/detect/radar_pass.hpp"
#include "daemon/detect/radar_segmenter.hpp"
#include "daemon/detect/radar_split.hpp"
#include "daemon/detect/vehicle.hpp"
#include "daemon/site/site.hpp"

namespace roadspeed {

class RadarDetector {
 public:
  // `detector` is the index this radar's vehicles carry.
  RadarDetector(const Radar& radar, std::uint16_t detector);

  // An edge of the radar's `input` (channel 0, I) or `input_q` (channel 1, Q).
  void push(int channel, std::int64_t t_ns, bool level, std::vector<Vehicle>& out);
  void advance_to(std::int64_t t_ns, std::vector<Vehicle>& out);
  void finish(std::vector<Vehicle>& out);

  // From now on every closed pass is also kept, for the journal.
  void keep_passes() { keep_passes_ = true; }
  // From now on (the daemon's event loop) closed passes are measured only in
  // advance_to(), a bounded piece of the work at each call, so that no call
  // keeps the loop from its GPIO lines for long (docs/benchmarks.md,
  // "Backlog"); next_wakeup_ns() asks for the time at once while a piece is
  // left. The vehicles are the same; only when they come out differs.
  void measure_in_pieces() { in_pieces_ = true; }
  // Appends the passes kept since the last call, in the order they were measured.
  void take_passes(std::vector<RadarPass>& out);
  // Measures one closed pass, as detection does: the entry point of a
  // recorded pass measured again. Passes must come in the order they
  // closed (the lane offset is learnt from them).
  void measure_pass(const RadarSegment& s, std::vector<Vehicle>& out);

  // No vehicle emitted from now on has a time_ns earlier than this.
  std::int64_t horizon_ns() const;
  // Without new edges, advance_to() has nothing to do before this time.
  std::int64_t next_wakeup_ns() const;
  // No pass is open, none is waiting to be measured, and no block of
  // pulses is being gathered.
  bool idle() const { return horizon_ns() >= now_ns_; }
  // Closed passes are waiting to be measured (in pieces only).
  bool measuring() const { return !unmeasured_.empty(); }

  // Pulses further apart than this end a block: the tone has stopped.
  static constexpr std::int64_t pulse_gap_ns = 40'000'000;
  // A fit whose RMS residual exceeds this is not one vehicle's pass.
  static constexpr double max_rms_pct = 2.5;
  // A speed whose own standard error exceeds this (a weak, short return that
  // leaves speed and position along the beam nearly interchangeable) cannot
  // be trusted to the 1 % a roadside radar is held to: no speed, implausible.
  static constexpr double max_speed_sd_pct = 1.0;
  // In pieces, the work of one advance_to(): fits of this many blocks in all
  // (the last fit may take it over). With 400 the longest call on the
  // bench-daemon radar trace took 0.39 ms of CPU on the x86 development
  // machine, against 1.4 ms for the same work whole (docs/benchmarks.md,
  // "Backlog"); less gives shorter calls, down to one fit each.
  static constexpr std::size_t blocks_per_piece = 400;

 private:
  void rise(std::int64_t t_ns, std::vector<Vehicle>& out);
  void emit(std::vector<Vehicle>& out);
  void measure_some(std::size_t budget, std::vector<Vehicle>& out);
  Vehicle measure(const RadarSegment& s, const SweepModel& m) const;
  SweepModel model_for(const RadarSegment& s) const;
  LaneOffsetEstimate* learnt_for(const RadarSegment& s);
  LaneOffsetEstimate* learn_from(const RadarSegment& s);

  Radar radar_;
  std::uint16_t detector_;
  bool q_level_ = false;
  std::vector<std::int64_t> rises_;  // of the block being gathered
  int vote_ = 0;
  RadarSegmenter segmenter_;
  std::vector<RadarSegment> closed_;
  // In pieces: the closed passes not measured yet, in the order they closed,
  // and how far the first has come.
  bool in_pieces_ = false;
  std::deque<RadarSegment> unmeasured_;
  struct Measuring {
    SweepModel model;
    SplitSearch search;
    std::optional<std::vector<RadarSegment>> parts;  // once the search is done
    std::size_t measured = 0;                        // parts measured so far
  };
  std::optional<Measuring> measuring_;
  bool front_learnt_ = false;  // the first unmeasured pass has taught its lane's estimate
  std::array<LaneOffsetEstimate, 2> learnt_offset_;  // per direction, where the site gives none
  std::int64_t now_ns_ = 0;
  bool keep_passes_ = false;
  std::vector<RadarPass> kept_;
};

}  // namespace roadspeed
