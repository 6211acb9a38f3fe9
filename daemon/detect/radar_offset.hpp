// A lane's offset from the radar, learnt from the traffic itself where the
// site file does not give it (docs/detection.md, "Radar"). The shape of a
// pass's frequency sweep depends on the offset; the offset that lets the
// model (speed, acceleration, position per pass) fit the recent clean passes
// best is the estimate. Refitted after 1, 2, 4 ... 128 passes, then every
// 128: at once (add), or a few fits at a time (start, refit_some), so the
// daemon's event loop never waits for a whole refit (docs/benchmarks.md,
// "Backlog"). Both give the same estimate: the same fits in the same order.
#pragma once

#include <cstddef>
#include <optional>
#include <vector>

#include "daemon/detect/radar_geometry.hpp"

namespace roadspeed {

class LaneOffsetEstimate {
 public:
  // So many recent passes make the estimate.
  static constexpr std::size_t window = 64;

  // A clean pass's sweep under model `m` (its offset_m is ignored); refits
  // at once when one is due.
  void add(const SweepModel& m, std::vector<SweepSample> samples);
  // The same, but a refit that comes due is only begun: refit_some() does it.
  void start(const SweepModel& m, std::vector<SweepSample> samples);
  // Carries a refit on by fits of about `budget` samples (the last fit may
  // take it over); returns the samples fitted. offset_m() changes when the
  // refit is done.
  std::size_t refit_some(std::size_t budget);
  bool refitting() const { return refit_.has_value(); }
  // Empty before the first pass.
  std::optional<double> offset_m() const { return offset_m_; }
  std::size_t passes() const { return added_; }

 private:
  // A coarse grid over the offsets, then golden-section refinement around
  // the best grid point; each point's misfit is summed pass by pass.
  struct Refit {
    bool golden = false;
    double d = 0, best = 0, best_m = 0;       // the grid
    double lo = 0, hi = 0, x1 = 0, x2 = 0;    // the golden section
    double f1 = 0, f2 = 0;
    bool first_pending = true, second_pending = true;  // f1, f2 being found
    double x = 0, sum = 0;                    // the misfit being summed at x
    std::size_t pass = 0;                     // over recent_[0, pass)
  };
  void begin_misfit(double offset_m);
  void misfit_found(double value);
  void next_golden();

  SweepModel model_;
  std::vector<std::vector<SweepSample>> recent_;  // a ring of the last `window` passes
  std::size_t next_ = 0;
  std::size_t added_ = 0;
  std::optional<double> offset_m_;
  std::optional<Refit> refit_;
};

}  // namespace roadspeed
