#include "daemon/service/clock_watch.hpp"

#include <sys/timex.h>

#include <cstdlib>
#include <utility>

#include "drivers/gpio/mono_clock.hpp"

namespace roadspeed {

ClockReading read_system_clock() {
  ClockReading r;
  r.realtime_minus_monotonic_ns = mono_to_wall_offset_ns();
  timex tx{};
  const int state = ::ntp_adjtime(&tx);
  r.synchronized = state != TIME_ERROR && (tx.status & STA_UNSYNC) == 0;
  return r;
}

ClockWatch::ClockWatch(Reader reader) : reader_(std::move(reader)) {
  const ClockReading r = reader_();
  offset_ns_ = r.realtime_minus_monotonic_ns;
  synchronized_ = r.synchronized;
}

ClockWatch::Change ClockWatch::poll() {
  const ClockReading r = reader_();
  Change c;
  const std::int64_t jump = r.realtime_minus_monotonic_ns - offset_ns_;
  if (std::llabs(jump) > step_threshold_ns) {
    c.step_ns = jump;
    offset_ns_ = r.realtime_minus_monotonic_ns;
  }
  if (r.synchronized != synchronized_) {
    synchronized_ = r.synchronized;
    c.synchronized = synchronized_;
  }
  return c;
}

}  // namespace roadspeed
