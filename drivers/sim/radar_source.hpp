// The simulated edges and truth of one [[radar]] (docs/simulator.md,
// "Radar"): a traffic stream per direction, each vehicle's pass through the
// beam, the strongest return owning the comparator where passes overlap,
// and noise pulses at any time. Pull-based, so the simulator merges it with
// the loops' edges in time order; memory stays flat.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <queue>
#include <tuple>
#include <vector>

#include "daemon/site/site.hpp"
#include "drivers/sim/radar_model.hpp"
#include "drivers/sim/radar_signal.hpp"
#include "drivers/sim/simulator.hpp"
#include "drivers/sim/traffic_stream.hpp"

namespace roadspeed::sim {

class RadarSource {
 public:
  // Radar `index` of `site`; arrivals in [start_ns, end_ns).
  RadarSource(const Site& site, std::size_t index, const SimOptions& options, std::int64_t start_ns,
              std::int64_t end_ns);

  // The next edge, when it sorts before (t_ns, input); final: take it with
  // pop_edge(). Edges come in time order (ties: by input).
  std::optional<Edge> next_edge_before(std::int64_t t_ns, InputId input);
  void pop_edge();
  // The next truth (time_ns order) when it is earlier than `t_ns`; final.
  std::optional<TruthVehicle> next_truth_before(std::int64_t t_ns);
  void pop_truth();

  std::uint64_t vehicles() const { return vehicles_; }
  std::uint64_t edges() const { return edges_; }
  std::size_t held() const { return edges_heap_.size() + passes_.size(); }

 private:
  struct Held {
    RadarPass pass;
    TruthVehicle truth;
    bool done = false;  // its pulses are generated
  };
  using EdgeKey = std::tuple<std::int64_t, InputId, std::uint64_t, std::uint8_t>;

  std::int64_t next_arrival_ns() const;
  std::int64_t safe_ns() const;
  bool step();
  void take_arrival();
  void finalize(std::size_t index);
  void drop_passed();
  static std::int64_t owned_middle_ns(const RadarPass& pass, const std::function<bool(std::int64_t)>& owns);
  void add_noise(std::int64_t before_ns);
  void push_edge(const Edge& e);
  bool redundant(const Edge& e) const;
  TruthVehicle make_truth(const SimVehicle& v, const RadarPass& pass, Direction d) const;

  const Site& site_;
  std::size_t index_;
  RadarOutputs outputs_;
  std::int64_t end_ns_;
  std::vector<TrafficStream> streams_;  // [0] forward, [1] reverse where the radar has one
  std::vector<Direction> directions_;
  std::vector<RadarLane> lanes_;        // per stream
  std::vector<Held> passes_;            // in arrival order
  Rng signal_rng_;
  Rng noise_rng_;
  std::int64_t next_noise_ns_;
  double noise_rate_per_s_;
  std::priority_queue<EdgeKey, std::vector<EdgeKey>, std::greater<>> edges_heap_;
  std::uint64_t sequence_ = 0;
  std::vector<TruthVehicle> truths_;    // a min-heap by time
  std::uint8_t level_[2] = {0, 0};     // of I and Q as last handed out
  std::uint64_t vehicles_ = 0;
  std::uint64_t edges_ = 0;
  std::vector<Edge> scratch_;
};

}  // namespace roadspeed::sim
