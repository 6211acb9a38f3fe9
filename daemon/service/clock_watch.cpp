#include "daemon/service/clock_watch.hpp"

#include <sys/timex.h>
#include <time.h>

#include <cstdlib>
#include <utility>

namespace roadspeed {
namespace {

std::int64_t ns_of(const timespec& ts) { return std::int64_t{ts.tv_sec} * 1'000'000'000 + ts.tv_nsec; }

}  // namespace

ClockReading read_system_clock() {
  // The narrowest of a few monotonic-realtime-monotonic brackets: the
  // reading least disturbed by a preemption in between.
  ClockReading r;
  std::int64_t best_width = -1;
  for (int i = 0; i < 3; ++i) {
    timespec m0{}, rt{}, m1{};
    ::clock_gettime(CLOCK_MONOTONIC, &m0);
    ::clock_gettime(CLOCK_REALTIME, &rt);
    ::clock_gettime(CLOCK_MONOTONIC, &m1);
    const std::int64_t width = ns_of(m1) - ns_of(m0);
    if (best_width < 0 || width < best_width) {
      best_width = width;
      r.realtime_minus_monotonic_ns = ns_of(rt) - (ns_of(m0) + width / 2);
    }
  }
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
    c.step_s = static_cast<double>(jump) * 1e-9;
    offset_ns_ = r.realtime_minus_monotonic_ns;
  }
  if (r.synchronized != synchronized_) {
    synchronized_ = r.synchronized;
    c.synchronized = synchronized_;
  }
  return c;
}

}  // namespace roadspeed
