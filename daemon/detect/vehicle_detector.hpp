// Detection for a whole site: edges in, vehicles out in the interface's row
// order. Pure (no clock, no I/O): the same code runs in `roadspeed analyze`,
// in the tests and in the daemon. Time passes only through edge timestamps
// and advance_to().
#pragma once

#include <cstdint>
#include <deque>
#include <limits>
#include <vector>

#include "daemon/detect/lane_headways.hpp"
#include "daemon/detect/loop_trap.hpp"
#include "daemon/detect/radar_detector.hpp"
#include "daemon/detect/row_order.hpp"
#include "daemon/detect/vehicle.hpp"
#include "daemon/site/site.hpp"
#include "drivers/edge.hpp"

namespace roadspeed {

class VehicleDetector {
 public:
  // How vehicles come out; the rows are the same either way
  // (tests/unit/decision_timing_test.cpp).
  // batch (`roadspeed analyze`, import, reanalyze): in the whole site's time
  //   order, as the interface's per-vehicle CSV lists them, each decided
  //   once every partner it could have has had time to arrive: the least
  //   work per edge.
  // live (the daemon, monitor): in each detector's own order (all its
  //   headways and bins need), each decided as soon as nothing still to
  //   come can change it (LoopTrap::settled_pairing): the least latency.
  enum class Mode { batch, live };

  explicit VehicleDetector(const Site& site, Mode mode = Mode::batch);
  // Only the detectors (by number: Vehicle::detector) in `detectors`: edges
  // of other inputs are ignored, and the rows are those the whole site's
  // detector gives for these detectors, in the same order. analyze runs a
  // site's detectors on threads of their own this way (detector_threads.hpp).
  VehicleDetector(const Site& site, Mode mode, const std::vector<std::size_t>& detectors);

  // Edges in non-decreasing time order. Vehicles that can no longer be
  // preceded by another (of the site or of their detector) are appended to
  // `out`, in that order.
  void push(const Edge& e, std::vector<Vehicle>& out);
  // No edge arrived before `t_ns`: closes vehicles that waited for one.
  void advance_to(std::int64_t t_ns, std::vector<Vehicle>& out);
  // End of input: everything still pending is decided and released.
  void finish(std::vector<Vehicle>& out);

  // Every row still to come (held, or yet to be decided) has a time_ns at
  // or after this.
  std::int64_t rows_from_ns() const;

  // Nothing is on the loops or waiting to be decided or released: a new
  // detector (a reloaded site) can take over from here without losing or
  // doubling a vehicle.
  bool idle() const;

  // The daemon's journal: from now on every radar pass is kept, and
  // take_radar_passes() appends those closed since its last call.
  void keep_radar_passes();
  void take_radar_passes(std::vector<RadarPass>& out);

  // Without new edges, advance_to() has nothing to decide before this time
  // (a debounce or a pairing window ends, a radar pass closes): the daemon
  // wakes detection then rather than on a coarse tick.
  // While closed radar passes are being measured in pieces, that is now.
  std::int64_t next_wakeup_ns() const;

  // The daemon's event loop, which must come back to its GPIO lines within
  // about 1.7 ms (docs/benchmarks.md, "Backlog"): from now on radar passes
  // are measured (split, fitted) only in advance_to(), a bounded piece at
  // each call; next_wakeup_ns() is now while a piece is left, and the
  // vehicles come out when their pass is done (the same rows, in the same
  // order per detector). Call before the first edge, and drive detection
  // by next_wakeup_ns(): pieces are done only when told the time.
  void measure_radar_passes_in_pieces();
  // Closed radar passes are waiting for their next piece of work.
  bool measuring() const;

 private:
  struct Route {
    int trap = -1;   // -1: not a loop of any trap
    int radar = -1;  // -1: not a radar channel
    int channel = 0; // loop (0 first, 1 second) or radar channel (0 I, 1 Q)
  };
  struct Held {
    Vehicle vehicle;
    int rank = 0;  // order of (detector id, direction name) for ties
  };

  // How often traps without edges of their own are told the time.
  static constexpr std::int64_t sweep_interval_ns = 1'000'000'000;

  void hold(std::vector<Vehicle>& produced);
  std::int64_t horizon_ns(std::size_t detector) const;
  std::int64_t site_horizon_ns() const;
  void release(std::vector<Vehicle>& out, bool final = false);
  void release_one(std::size_t detector, std::vector<Vehicle>& out);

  std::vector<Route> routes_;
  std::vector<LoopTrap> traps_;                // every trap and radar of the site, numbered as
  std::vector<RadarDetector> radars_;          // Vehicle::detector; only the served ones get edges
  std::vector<char> served_;                   // per detector: 1 if served (not vector<bool>: read on every edge)
  RowOrder order_;
  LaneHeadways headways_;                      // the tailgate flag, in output order
  Mode mode_;
  std::vector<std::deque<Held>> held_;         // per detector, sorted in output order
  std::vector<Vehicle> produced_;
  bool sweeps_ = true;  // pushes tell the served detectors the time now and then
  std::int64_t next_sweep_ns_ = std::numeric_limits<std::int64_t>::min();
  std::int64_t now_ns_ = std::numeric_limits<std::int64_t>::min();  // the latest time told
};

}  // namespace roadspeed
