// A pair of inductive loops: activations of both loops -> vehicles, in both
// directions. Pure: edges and the passing of time in, vehicles out.
// docs/detection.md explains the pairing, the speed and length maths and
// every flag.
#pragma once

#include <array>
#include <cstdint>
#include <limits>
#include <optional>
#include <vector>

#include "daemon/detect/fifo.hpp"
#include "daemon/detect/loop_activation.hpp"
#include "daemon/detect/timing_spread.hpp"
#include "daemon/detect/trap_limits.hpp"
#include "daemon/detect/vehicle.hpp"
#include "daemon/site/site.hpp"

namespace roadspeed {

class LoopTrap {
 public:
  // `detector` is the index this trap's vehicles carry. `decide_early`:
  // take a pairing as soon as it is settled (trap_early.cpp) rather than
  // when readiness() says: the same vehicles, sooner, for more work.
  LoopTrap(const Trap& trap, const LengthClasses& classes, std::uint16_t detector, bool decide_early = false);

  // An edge of this trap's `first` (loop 0) or `second` (loop 1) input.
  void push(int loop, std::int64_t t_ns, bool level, std::vector<Vehicle>& out);
  void advance_to(std::int64_t t_ns, std::vector<Vehicle>& out);
  // End of input: decide everything still pending, as if time ran on.
  void finish(std::vector<Vehicle>& out);

  // No loop is active and no presence waits to be decided.
  bool idle() const;

  // No vehicle emitted from now on has a time_ns earlier than this.
  std::int64_t horizon_ns() const;
  // Without new edges, advance_to() has nothing to do before this time.
  std::int64_t next_wakeup_ns() const;

 private:
  struct Piece {
    Activation act;
    bool consumed = false;
  };
  // Consecutive pieces of one loop taken as one vehicle's presence. Always
  // made whole (no member initialisers): Groups' array of them is built on
  // every pairing attempt and need not be cleared first.
  struct Group {
    int loop;
    std::size_t first, count;
    std::int64_t on_ns, off_ns;
    std::int64_t longest_gap_ns;
    bool chatter;
  };
  struct Pairing {
    Group lead_loop, trail_loop;  // first and second loop met in travel direction
    double score = 0;
  };
  // Pieces that overlap in time and found no consistent pairing.
  struct Cluster {
    int loop = 0;                   // the loop of the earliest piece
    std::vector<Activation> own;    // pieces on that loop, by time
    std::vector<Activation> other;  // pieces on the other loop, by time
    int last_loop = 0;              // the loop of the piece that ended last
    bool chatter = false;
  };
  struct Measurement {
    double speed_mps = 0;
    double magnetic_length_m = 0;
  };

  // A loop's completed activation becomes a pending piece (one longer than
  // any pass is a stuck loop, not a vehicle).
  void take_activation(int loop, const Activation& a);
  // Where a loop's debouncer puts what it completes: straight into the
  // pending pieces, not through a vector in between (on every edge).
  struct PieceSink {
    LoopTrap& trap;
    int loop;
    void push_back(const Activation& a) { trap.take_activation(loop, a); }
  };
  // Closes a burst of `loop` that now_ns_ has passed.
  void advance_loop(int loop);
  void decide_if_due(std::vector<Vehicle>& out);
  void decide(std::int64_t now_ns, std::vector<Vehicle>& out, bool final);
  // When the earliest pending piece can be decided, as far as is known now.
  struct OpenPresence {
    int loop = -1;  // -1: none
    std::int64_t since_ns = 0;
  };
  struct Readiness {
    std::int64_t not_before_ns = 0;
    OpenPresence awaited;  // must end (or turn stuck) first
  };
  Readiness readiness(const Piece& e) const;
  bool awaited_ended() const;
  std::optional<std::int64_t> unfinished_presence_ns(int loop) const;
  void decide_one(int loop, std::size_t index, std::vector<Vehicle>& out);
  // The piece at `index` alone, then joined with 1, 2... following pieces
  // across gaps of at most `max_gap_ns`.
  struct Groups {
    std::array<Group, trap_limits::max_group_pieces> options;
    std::size_t count = 0;
    const Group* begin() const { return options.data(); }
    const Group* end() const { return options.data() + count; }
  };
  Groups groups_from(int loop, std::size_t index, std::int64_t max_gap_ns) const;
  std::optional<Pairing> best_pairing(int loop, std::size_t index) const;
  bool plausible_footprint(const Group& g, double v) const;
  std::optional<double> pairing_score(const Group& first, const Group& second) const;
  double consistency_tolerance(double t_lead_s, double t_trail_s, double midpoint_gap_s) const;
  bool splits_agree(const Group& first, const Group& second, double transit_s, double rel_tol) const;
  void emit_pairing(const Pairing& p, std::vector<Vehicle>& out);
  void emit_unpaired(int loop, std::size_t index, std::vector<Vehicle>& out);
  Cluster take_cluster(int loop, std::size_t index);
  bool one_vehicle_fits(const Cluster& c) const;
  void emit_lone(const Cluster& c, std::vector<Vehicle>& out) const;
  void emit_meeting(const Cluster& c, std::vector<Vehicle>& out);
  std::int64_t hidden_arrival_ns(const Cluster& c, std::int64_t transit_ns) const;
  // trap_long_lead.cpp: an oncoming car hidden behind a long first vehicle.
  std::optional<std::int64_t> oncoming_behind_long_lead_ns(const Cluster& c) const;
  bool lead_pair_doubtful(const Cluster& c, double v_mps) const;
  bool emit_follower_meeting(const Cluster& c, std::vector<Vehicle>& out);
  std::int64_t hidden_between_ns(const Cluster& c, std::int64_t transit_ns) const;
  bool ends_merged_presence(const Activation& x, const Activation& y) const;
  std::int64_t occupancy_drift_ns(std::int64_t occupancy_ns, std::int64_t transit_ns) const;
  void hold(const Cluster& c);
  std::optional<Measurement> single_pair(std::int64_t transit_ns, std::int64_t occupancy_ns) const;
  void set_measurement(Vehicle& v, const Measurement& m, Flag how) const;
  Vehicle cluster_vehicle(const Cluster& c, int first_loop, std::int64_t t_ns, Flag why) const;
  void consume(const Group& g);
  void release(const Group& g);
  bool hides_oncoming(const Pairing& p);
  // trap_merged.cpp: a slow pairing that is an oncoming vehicle's second
  // presence, its arrival merged into a vehicle already decided.
  bool arrival_merged(const Pairing& p) const;
  void emit_merged_arrival(const Group& g, std::vector<Vehicle>& out);
  bool trail_stretched(double v_trail_mps) const;
  std::optional<std::size_t> oncoming_suspect(const Pairing& p) const;
  // Deciding before readiness(): a pairing no edge still to come can change.
  struct Settled {
    std::optional<Pairing> pairing;  // settled now
    std::int64_t settles_ns = std::numeric_limits<std::int64_t>::max();  // else when it will be
  };
  Settled settled_pairing(int loop) const;
  std::optional<std::int64_t> joinable_until(const Group& chain, std::int64_t max_gap_ns) const;
  void drop_consumed();
  Vehicle make_vehicle(int first_loop, std::int64_t t_ns) const;

  Trap trap_;
  LengthClasses classes_;
  std::uint16_t detector_;
  LoopDebouncer loops_[2];
  Fifo<Piece> pending_[2];
  TimingSpread spread_;
  std::int64_t now_ns_ = 0;
  std::int64_t next_decision_ns_ = 0;  // decide() has nothing to do before
  OpenPresence awaited_;                // ... nor before this presence ends
  bool decide_early_ = false;
  bool fresh_pieces_ = false;           // pieces arrived since decide() last ran
  // The latest presence decided on each loop (a pairing's, or the last to end
  // of a meeting's): a lone presence begun inside one of them is an oncoming
  // vehicle whose arrival merged into it.
  Activation held_[2]{};
  // Transit time of the latest vehicle given a speed: dates a vehicle whose
  // arrival was hidden (emit_lone, hidden_arrival_ns). 0: none yet.
  std::int64_t last_transit_ns_ = 0;
  double typical_speed_mps_ = 0;  // running mean of measured speeds; 0: none yet
  std::int64_t max_transit_ns_;
  std::int64_t min_transit_ns_;
};

}  // namespace roadspeed
