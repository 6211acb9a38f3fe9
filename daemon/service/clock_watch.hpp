// Watches the system clock for the daemon. Edges are stamped on the
// monotonic clock and mapped to wall time with an offset (realtime minus
// monotonic) held constant between steps; a change of that offset beyond
// the slewing NTP does is a step: a new journal file, a log line. Until the
// kernel says the clock is synchronised (a board without a real-time clock
// boots with a wrong date), live vehicles are flagged clock_unsynced.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>

namespace roadspeed {

struct ClockReading {
  std::int64_t realtime_minus_monotonic_ns = 0;
  bool synchronized = false;
};

// The kernel's clocks and its NTP status (ntp_adjtime: STA_UNSYNC).
ClockReading read_system_clock();

class ClockWatch {
 public:
  // NTP slews at most 500 ppm: 0.1 ms per 200 ms tick. A larger jump of
  // the offset than this is a step.
  static constexpr std::int64_t step_threshold_ns = 50'000'000;

  using Reader = std::function<ClockReading()>;
  explicit ClockWatch(Reader reader = read_system_clock);

  struct Change {
    std::optional<std::int64_t> step_ns;       // the offset jumped by this
    std::optional<bool> synchronized;          // the sync state changed to this
  };
  Change poll();

  std::int64_t offset_ns() const { return offset_ns_; }
  bool synchronized() const { return synchronized_; }

 private:
  Reader reader_;
  std::int64_t offset_ns_;
  bool synchronized_;
};

}  // namespace roadspeed
