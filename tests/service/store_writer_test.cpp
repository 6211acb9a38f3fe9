// The storage thread's pacing: vehicles are committed at most once a second,
// unless a vehicle detection held long would otherwise miss its row deadline.
// These tests wait on the thread, never time it: each condition they check
// has about a second of slack on either side.
#include <catch2/catch.hpp>

#include <chrono>
#include <thread>
#include <vector>

#include "daemon/service/latency_meter.hpp"
#include "daemon/service/store_writer.hpp"
#include "tests/unit/store_test_support.hpp"

namespace {

using roadspeed::StoreWriter;
using Clock = std::chrono::steady_clock;

// Waits (up to 10 s) until `writer` has committed `n` vehicles.
bool wait_committed(const StoreWriter& writer, std::uint64_t n) {
  const auto give_up = Clock::now() + std::chrono::seconds(10);
  while (writer.committed() < n && Clock::now() < give_up) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  return writer.committed() >= n;
}

std::vector<roadspeed::Vehicle> one_vehicle(std::uint32_t seed) {
  return roadspeed::test::simulated_vehicles(seed, 1'790'000'000'000'000'000, 1);
}

}  // namespace

TEST_CASE("vehicles within a second of a commit wait for the next one; a late vehicle does not", "[service]") {
  const auto dir = roadspeed::test::scratch_dir("store-writer-pacing");
  roadspeed::LatencyMeter latency;
  StoreWriter writer(dir / "roadspeed.db", roadspeed::test::store_test_site(), 365, &latency);

  // The first vehicle is committed at once: nothing was committed for a second.
  const auto first_edge = std::vector{Clock::now()};
  writer.append(one_vehicle(1), first_edge);
  REQUIRE(wait_committed(writer, 1));
  CHECK(writer.vehicle_commits() == 1);
  CHECK(writer.early_commits() == 0);

  SECTION("an on-time vehicle right after it waits for the second to pass") {
    const auto appended = Clock::now();
    writer.append(one_vehicle(2), std::vector{appended});
    REQUIRE(wait_committed(writer, 2));
    CHECK(Clock::now() - appended >= std::chrono::milliseconds(500));
    CHECK(writer.vehicle_commits() == 2);
    CHECK(writer.early_commits() == 0);
  }

  SECTION("a vehicle detection held for 1.1 s is committed before its row deadline, not a second later") {
    const auto appended = Clock::now();
    const auto last_edge = appended - std::chrono::milliseconds(1100);
    writer.append(one_vehicle(3), std::vector{last_edge});
    REQUIRE(wait_committed(writer, 2));
    CHECK(writer.early_commits() == 1);
    CHECK(writer.vehicle_commits() == 2);
    // Its latency, from its last edge to the commit, was recorded.
    CHECK(latency.count() == 2);
    CHECK(latency.max_ns() >= 1'100'000'000);
  }
  writer.close();
}

TEST_CASE("vehicles without an edge time keep the once-a-second pacing", "[service]") {
  const auto dir = roadspeed::test::scratch_dir("store-writer-untimed");
  StoreWriter writer(dir / "roadspeed.db", roadspeed::test::store_test_site(), 365);
  writer.append(one_vehicle(1));
  REQUIRE(wait_committed(writer, 1));
  const auto appended = Clock::now();
  writer.append(one_vehicle(2));
  REQUIRE(wait_committed(writer, 2));
  CHECK(Clock::now() - appended >= std::chrono::milliseconds(500));
  CHECK(writer.early_commits() == 0);
  writer.close();
  CHECK(writer.committed() == 2);
}
