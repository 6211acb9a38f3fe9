#include <catch2/catch.hpp>

#include "daemon/service/clock_watch.hpp"

using namespace roadspeed;

TEST_CASE("the clock watch tells a step from slewing and follows the sync state", "[service]") {
  ClockReading now{1'000'000'000'000, false};
  ClockWatch watch([&] { return now; });
  CHECK_FALSE(watch.synchronized());

  now.realtime_minus_monotonic_ns += 20'000'000;  // NTP slewing: no step
  auto c = watch.poll();
  CHECK_FALSE(c.step_ns);
  CHECK_FALSE(c.synchronized);
  CHECK(watch.offset_ns() == 1'000'000'000'000);

  now.realtime_minus_monotonic_ns += 40'000'000;  // slews add up to a step of the held offset
  c = watch.poll();
  REQUIRE(c.step_ns);
  CHECK(*c.step_ns == 60'000'000);
  CHECK(watch.offset_ns() == 1'000'060'000'000);

  // NTP sets the clock of a board without RTC: a step and sync at once.
  now.realtime_minus_monotonic_ns += 3'600'000'000'000;
  now.synchronized = true;
  c = watch.poll();
  REQUIRE(c.step_ns);
  CHECK(*c.step_ns == 3'600'000'000'000);
  REQUIRE(c.synchronized);
  CHECK(*c.synchronized);
  CHECK(watch.synchronized());
  c = watch.poll();
  CHECK_FALSE(c.step_ns);
  CHECK_FALSE(c.synchronized);
}

TEST_CASE("the system clock reading is the realtime clock less the monotonic one", "[service]") {
  const ClockReading r = read_system_clock();
  timespec rt{}, mono{};
  ::clock_gettime(CLOCK_REALTIME, &rt);
  ::clock_gettime(CLOCK_MONOTONIC, &mono);
  const std::int64_t expected = (std::int64_t{rt.tv_sec} - mono.tv_sec) * 1'000'000'000 + (rt.tv_nsec - mono.tv_nsec);
  CHECK(std::llabs(r.realtime_minus_monotonic_ns - expected) < 50'000'000);
}
