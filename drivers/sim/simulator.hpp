// The traffic simulator: vehicles on a site's traps, seen through realistic
// (imperfect) detector cards, written as edges with the ground truth beside
// them. The noise model and its parameters are documented in docs/simulator.md.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <ostream>
#include <string>

#include "daemon/site/site.hpp"
#include "drivers/edge.hpp"
#include "daemon/detect/vehicle.hpp"
#include "drivers/sim/scenario.hpp"

namespace roadspeed {

// One simulated vehicle as it really was, for scoring detection against.
struct TruthVehicle {
  std::int64_t t_ns = 0;        // true moment the front reached the first loop met (no card delay);
                                // radar: the middle of the time its return could be detected
  std::uint16_t detector = 0;   // index into Site::traps, then Site::radars
  Direction direction = Direction::forward;  // as the CSV reports it (wrong-way: forward)
  bool wrong_way = false;
  double speed_kmh = 0;         // front's mean speed between the two loops (what a lidar sees);
                                // radar: the speed as the vehicle crosses the beam axis
  double length_m = 0;          // body length
  VehicleClass vehicle_class = VehicleClass::car;  // by body length and the site's classes
  double accel_mps2 = 0;
  bool met_oncoming = false;    // over a trap spanning the road at the same time as an oncoming vehicle
  bool missed_first = false;    // the first loop met did not detect it
  bool missed_second = false;
  bool tailgating = false;      // headway under 1 s to the previous vehicle in its direction
  // Signed relative speed errors (%) that a perfect pairing of the same card
  // edges (card delays and jitter, no chatter) gives; empty where a loop missed it.
  std::optional<double> lead_err_pct;  // leading edges only
  std::optional<double> both_err_pct;  // mean of leading and trailing transit times
};

struct SimOptions {
  double hours = 1.0;
  std::uint64_t seed = 1;
  std::int64_t start_epoch_ns = 1764158400000000000;  // 2025-11-26T12:00:00Z, as in the spec
  Scenario scenario;  // traffic and card parameters; defaults: a villa street
};

using EdgeSink = std::function<void(const Edge&)>;
using TruthSink = std::function<void(const TruthVehicle&)>;

// What a run produced and how much it had to hold at once.
struct SimStats {
  std::uint64_t vehicles = 0;
  std::uint64_t edges = 0;
  std::size_t max_pending_edges = 0;     // intervals and edges waiting inside the simulator
  std::size_t max_pending_vehicles = 0;  // truths waiting for their neighbours to pass
};

// Streams edges in non-decreasing time order (ties: by input; memory stays
// flat for any duration) and each vehicle's truth, in time_ns order, once it
// has passed. Deterministic for a given site, options and seed. Simulates
// every [[trap]] and every [[radar]] of the site. Throws
// InputError for options or a scenario out of range.
SimStats simulate(const Site& site, const SimOptions& options, const EdgeSink& on_edge,
                  const TruthSink& on_truth);

// The truth CSV (docs/simulator.md), one row per TruthVehicle.
void write_truth_header(std::ostream& out);
void write_truth_row(std::ostream& out, const Site& site, const TruthVehicle& v);

}  // namespace roadspeed
