// Scoring detection against the simulator's ground truth: one-to-one matching
// of detected vehicles (spec/interfaces.md §3) to true vehicles (the truth CSV
// of docs/simulator.md), and the accuracy figures scripts/bench-accuracy
// holds against its targets (docs/accuracy.md). Pure functions on rows; the
// CSV reading is in accuracy_csv.hpp.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace roadspeed::accuracy {

// A row of the truth CSV. Detector and direction stay names, as both CSVs
// write them, so scoring needs no site.
struct TruthRow {
  std::int64_t t_ns = 0;
  std::string detector;
  std::string direction;
  double speed_kmh = 0;
  double length_m = 0;
  std::string vehicle_class;
  double accel_mps2 = 0;
  bool wrong_way = false;
  bool met_oncoming = false;
  bool missed_first = false;
  bool missed_second = false;
  bool tailgating = false;
  std::optional<double> lead_err_pct;  // speed error a perfect leading-edge pairing gives
  std::optional<double> both_err_pct;  // the same for leading and trailing edges
};

// A row of the per-vehicle CSV.
struct DetectedRow {
  std::int64_t t_ns = 0;
  std::string detector;
  std::string direction;
  std::optional<double> speed_kmh;
  std::optional<double> length_m;
  std::string vehicle_class;
  std::string flags;
};

inline constexpr std::int64_t default_tolerance_ns = 300'000'000;  // 0.3 s

struct Match {
  std::size_t truth = 0;        // index into the truth rows
  std::size_t detected = 0;     // index into the detected rows
  bool same_direction = true;   // false: matched by detector and time only
};

// A trap's loops, for dating the true vehicle where a one-loop detection
// says it was (below). Loop 0 is the trap's `first` input, 1 its `second`.
struct TrapLoops {
  std::string detector;
  std::string forward;
  std::string reverse;  // empty on a one-way trap
  double spacing_m = 0;
};

// Pairs each true vehicle with at most one detection and back: same
// detector, |Δt| <= tolerance_ns. First with the same direction; then what
// is left regardless of direction, since a vehicle only one loop of a
// two-way trap saw has no measurable direction (counts are counts; direction
// agreement is its own figure, and speeds are scored only for same-direction
// matches). Within each pass the nearest pair in time is taken first (ties:
// earlier truth, then earlier detection), so a missed vehicle cannot make its
// follower's detection slip onto it. Returned in truth order.
//
// A detection flagged `missed_first` or `missed_second` on a trap in `traps`
// was seen by one loop only: it says a vehicle reached THAT loop at its
// time, and (on a two-way trap) cannot know its direction. It is compared
// with the moment the true vehicle reached that loop: its true time if that
// loop was its first, else one true transit (spacing / true speed) later.
// Without `traps` every row is compared with the true time (the rule before
// issue #2's scoring note, docs/accuracy.md "Scoring: one-loop rows").
std::vector<Match> match(const std::vector<TruthRow>& truth, const std::vector<DetectedRow>& detected,
                         std::int64_t tolerance_ns = default_tolerance_ns,
                         const std::vector<TrapLoops>& traps = {});

// Percentages are 0..100; every figure is empty where its population is empty.
struct Metrics {
  std::size_t truth_vehicles = 0;
  std::size_t truth_non_oncoming = 0;     // did not meet an oncoming vehicle over the trap
  std::size_t detections = 0;
  std::size_t matched = 0;
  std::size_t matched_non_oncoming = 0;
  std::size_t detections_for_precision = 0;  // detections not matched to a met_oncoming truth
  std::size_t speed_errors = 0;              // matched non-oncoming vehicles with a speed

  std::optional<double> recall_pct;        // matched non-oncoming / non-oncoming truth
  std::optional<double> precision_pct;     // matched non-oncoming / detections_for_precision
  std::optional<double> recall_all_pct;    // matched / truth
  std::optional<double> speed_share_pct;   // speed_errors / matched_non_oncoming
  std::optional<double> p50_err_pct;       // |detected / true speed - 1|, nearest rank
  std::optional<double> p95_err_pct;
  // What perfect pairing of the same card edges would give: min(p95 |lead
  // error|, p95 |both-edge error|) over the vehicles of the speed errors
  // that have them. Card noise no algorithm can remove.
  std::optional<double> floor_pct;
  std::optional<double> p95_floor_ratio;   // p95_err_pct / floor_pct
  // Over matched vehicles with a detected length: the median (nearest rank)
  // of detected - true length, and the share within ±0.5 m of it.
  std::optional<double> length_bias_m;
  std::optional<double> length_within_pct;
  std::optional<double> class_agree_pct;   // matched vehicles whose class agrees
  std::optional<double> direction_agree_pct;  // matched vehicles reported in their true direction
};

inline constexpr double length_band_m = 0.5;

Metrics score(const std::vector<TruthRow>& truth, const std::vector<DetectedRow>& detected,
              const std::vector<Match>& matches);

}  // namespace roadspeed::accuracy
