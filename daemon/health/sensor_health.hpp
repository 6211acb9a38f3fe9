// Sensor health per input: the faults a roadside detector develops, each
// with the time it began and the time it ended, so statistics can mark the
// periods whose counts are incomplete. Pure like detection: edges and the
// passing of time in, fault events out. docs/health.md explains each rule
// and its threshold.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "daemon/site/site.hpp"
#include "drivers/edge.hpp"

namespace roadspeed {

enum class FaultKind : std::uint8_t {
  stuck_active,      // occupied longer than any vehicle could be
  silent,            // no edges while its trap partner counts traffic / a radar without signal
  chatter,           // more edges per second than vehicles can make
  lost_edges,        // impossible level sequences: edges the kernel lost
  on_time_mismatch,  // the two loops of a trap see the same traffic for clearly different times
};
std::string_view to_string(FaultKind k);

// A fault that began (`end_ns` empty) or ended (both times set).
struct FaultEvent {
  InputId input = 0;
  FaultKind kind = FaultKind::stuck_active;
  std::int64_t start_ns = 0;
  std::optional<std::int64_t> end_ns;
  std::string detail;  // numbers behind the verdict, for the log
};

// What the daemon shows per input (STATUS=, monitor, /health).
struct InputHealth {
  std::optional<std::int64_t> last_edge_ns;
  double edges_per_minute = 0;  // over the last whole minute
  std::uint64_t lost_edges = 0;
  std::vector<FaultKind> open_faults;
};

// The detectors (traps, then radars, as Vehicle::detector numbers them)
// that read `input`: a fault of the input makes their counts incomplete.
std::vector<std::uint16_t> detectors_reading(const Site& site, InputId input);

// The thresholds a daemon may set ([health] in its configuration file,
// docs/daemon.md); the others are the constants in SensorHealth.
struct HealthSettings {
  // A loop occupied this long is stuck. The default is
  // trap_limits::max_presence_ns, the bound beyond which detection no longer
  // waits for a vehicle; the VM test lowers it to see the fault in seconds.
  std::int64_t stuck_after_ns = 120'000'000'000;
};

class SensorHealth {
 public:
  explicit SensorHealth(const Site& site, HealthSettings settings = {});

  // Edges in non-decreasing time order.
  void push(const Edge& e, std::vector<FaultEvent>& out);
  // No edge arrived before `t_ns`.
  void advance_to(std::int64_t t_ns, std::vector<FaultEvent>& out);

  InputHealth health(InputId input) const;
  // Ends every open fault at `end_ns` (end of input), as events.
  void close_all(std::int64_t end_ns, std::vector<FaultEvent>& out);

  // ---- thresholds (docs/health.md); stuck_active's is in HealthSettings ----
  // A loop is silent once its partner made this many activations since its
  // own last edge: a one-loop miss (a moped) is rare, this many in a row is
  // a dead loop or card.
  static constexpr int silent_after_partner_activations = 20;
  // Shorter activations are pulses or bounces, not vehicles (a 1 m footprint
  // over a 1.5 m loop at 150 km/h): neither rule above nor below counts them.
  static constexpr std::int64_t min_vehicle_on_time_ns = 60'000'000;
  // A radar input with no edge at all for this long has lost its signal:
  // the IF comparator of a working module always sees some noise.
  static constexpr std::int64_t radar_silent_after_ns = 30LL * 60 * 1'000'000'000;
  // Chatter: more edges than this in one second on a loop (a vehicle makes
  // two; bounces a few more); it ends after this many calm seconds.
  static constexpr int chatter_edges_per_s = 40;
  static constexpr int chatter_calm_s = 10;
  // Lost edges: a span closes this long after the last one.
  static constexpr std::int64_t lost_edges_quiet_ns = 60'000'000'000;
  // On-time mismatch: medians of the last this many activations per loop,
  // compared every time the window has refilled; a ratio further from 1
  // than this opens the fault, one back within half of it closes it.
  static constexpr int on_time_window = 200;
  static constexpr double on_time_mismatch_share = 0.15;

 private:
  struct Input {
    bool is_loop = false;
    bool is_radar = false;
    int partner = -1;  // the other loop of its trap
    bool level = false;
    std::optional<std::int64_t> last_edge_ns;
    std::int64_t active_since_ns = 0;
    std::int64_t watched_since_ns = 0;  // the first time health heard of anything
    int partner_activations_since_edge = 0;
    std::int64_t first_unanswered_ns = 0;  // the partner's first activation since its last edge
    // Edges per second, for chatter, and per minute, for the status.
    std::int64_t second_start_ns = 0;
    int edges_this_second = 0;
    int calm_seconds = 0;
    std::int64_t last_chatter_end_ns = 0;  // the end of the latest second with chatter
    std::int64_t minute_start_ns = 0;
    int edges_this_minute = 0, edges_last_minute = 0;
    std::uint64_t lost_edges = 0;
    std::int64_t last_lost_ns = 0;
    std::vector<std::int64_t> on_times_ns;  // since the last comparison
    bool open[5] = {};
    std::int64_t opened_ns[5] = {};
  };

  void open(int input, FaultKind k, std::int64_t start_ns, std::string detail, std::vector<FaultEvent>& out);
  void close(int input, FaultKind k, std::int64_t end_ns, std::string detail, std::vector<FaultEvent>& out);
  bool is_open(int input, FaultKind k) const { return inputs_[input].open[static_cast<int>(k)]; }
  void count_edge(int input, std::int64_t t_ns, std::vector<FaultEvent>& out);
  void on_activation_end(int input, std::int64_t on_ns, std::int64_t off_ns, std::vector<FaultEvent>& out);
  void compare_on_times(int loop, std::int64_t t_ns, std::vector<FaultEvent>& out);
  void check_time(int input, std::int64_t t_ns, std::vector<FaultEvent>& out);

  HealthSettings settings_;
  std::vector<Input> inputs_;
  std::int64_t now_ns_ = 0;
};

}  // namespace roadspeed
