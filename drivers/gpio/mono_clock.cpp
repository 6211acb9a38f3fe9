#include "drivers/gpio/mono_clock.hpp"

#include <time.h>

#include <limits>

namespace roadspeed {
namespace {

std::int64_t read_ns(clockid_t clock) {
  timespec ts{};
  clock_gettime(clock, &ts);
  return std::int64_t{ts.tv_sec} * 1'000'000'000 + ts.tv_nsec;
}

}  // namespace

std::int64_t mono_now_ns() { return read_ns(CLOCK_MONOTONIC); }

std::int64_t mono_to_wall_offset_ns() {
  constexpr int kTries = 5;  // one of them is not interrupted
  std::int64_t best_span_ns = std::numeric_limits<std::int64_t>::max();
  std::int64_t offset_ns = 0;
  for (int i = 0; i < kTries; ++i) {
    const std::int64_t before = read_ns(CLOCK_MONOTONIC);
    const std::int64_t wall = read_ns(CLOCK_REALTIME);
    const std::int64_t after = read_ns(CLOCK_MONOTONIC);
    if (after - before < best_span_ns) {
      best_span_ns = after - before;
      offset_ns = wall - (before + (after - before) / 2);
    }
  }
  return offset_ns;
}

}  // namespace roadspeed
