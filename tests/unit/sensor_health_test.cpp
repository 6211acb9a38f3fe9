#include <catch2/catch.hpp>

#include "daemon/health/sensor_health.hpp"
#include "pass_builder.hpp"

using namespace roadspeed;

namespace {

constexpr std::int64_t s = 1'000'000'000;
constexpr std::int64_t t0 = test::t_base_ns;
constexpr InputId loop_a = 0, loop_b = 1;

struct Harness {
  Site site = test::two_loop_site();
  SensorHealth health{site};
  std::vector<FaultEvent> events;

  void edge(std::int64_t t, InputId input, bool level) { health.push(Edge{t, input, level}, events); }
  // One vehicle's activation on a loop.
  void activation(InputId input, std::int64_t on, std::int64_t on_time) {
    edge(on, input, true);
    edge(on + on_time, input, false);
  }
  // A vehicle over both loops, forward, with the given on-times.
  void pass(std::int64_t on, std::int64_t on_time_a, std::int64_t on_time_b) {
    const std::int64_t transit = 200'000'000;
    edge(on, loop_a, true);
    edge(on + transit, loop_b, true);
    edge(on + on_time_a, loop_a, false);
    edge(on + transit + on_time_b, loop_b, false);
  }
  std::vector<FaultEvent> take() { return std::exchange(events, {}); }
};

}  // namespace

TEST_CASE("a loop held active for 120 s is stuck from the moment it rose until it falls", "[health]") {
  Harness h;
  h.edge(t0, loop_a, true);
  h.health.advance_to(t0 + 119 * s, h.events);
  CHECK(h.take().empty());
  h.health.advance_to(t0 + 120 * s, h.events);
  auto e = h.take();
  REQUIRE(e.size() == 1);
  CHECK(e[0].input == loop_a);
  CHECK(e[0].kind == FaultKind::stuck_active);
  CHECK(e[0].start_ns == t0);
  CHECK_FALSE(e[0].end_ns);
  CHECK(h.health.health(loop_a).open_faults == std::vector{FaultKind::stuck_active});
  h.edge(t0 + 200 * s, loop_a, false);
  e = h.take();
  REQUIRE(e.size() == 1);
  CHECK(e[0].start_ns == t0);
  CHECK(e[0].end_ns == t0 + 200 * s);
  CHECK(h.health.health(loop_a).open_faults.empty());
}

TEST_CASE("a loop is stuck after the threshold its settings give", "[health]") {
  const Site site = test::two_loop_site();
  SensorHealth health(site, HealthSettings{5 * s});
  std::vector<FaultEvent> e;
  health.push(Edge{t0, loop_a, true}, e);
  health.advance_to(t0 + 5 * s - 1, e);
  CHECK(e.empty());
  health.advance_to(t0 + 5 * s, e);
  REQUIRE(e.size() == 1);
  CHECK(e[0].kind == FaultKind::stuck_active);
  CHECK(e[0].start_ns == t0);
  CHECK(e[0].detail == "active for 5 s");
}

TEST_CASE("a loop with no edges while its partner counts 20 vehicles is silent until it sees one", "[health]") {
  Harness h;
  h.pass(t0, s / 2, s / 2);
  for (int i = 0; i < SensorHealth::silent_after_partner_activations - 1; ++i)
    h.activation(loop_a, t0 + (10 + 5 * i) * s, s / 2);
  CHECK(h.take().empty());  // a run of one-loop misses (mopeds) is not yet a fault
  const std::int64_t last = t0 + 200 * s;
  h.activation(loop_a, last, s / 2);
  auto e = h.take();
  REQUIRE(e.size() == 1);
  CHECK(e[0].input == loop_b);
  CHECK(e[0].kind == FaultKind::silent);
  CHECK(e[0].start_ns == t0 + 10 * s);  // the first vehicle it missed
  h.pass(t0 + 300 * s, s / 2, s / 2);
  e = h.take();
  REQUIRE(e.size() == 1);
  CHECK(e[0].kind == FaultKind::silent);
  CHECK(e[0].end_ns == t0 + 300 * s + 200'000'000);
}

TEST_CASE("more edges in a second than vehicles make is chatter, until ten calm seconds", "[health]") {
  Harness h;
  // A pass with contact bounces is not chatter.
  for (int k = 0; k < 5; ++k) h.edge(t0 + k * 1'000'000, loop_a, k % 2 == 0);
  h.edge(t0 + 500'000'000, loop_a, false);
  h.health.advance_to(t0 + 2 * s, h.events);
  CHECK(h.take().empty());
  // A failing contact: 60 edges in one second.
  const std::int64_t bad = t0 + 5 * s;
  for (int k = 0; k < 60; ++k) h.edge(bad + k * 15'000'000, loop_a, k % 2 == 0);
  h.health.advance_to(bad + 2 * s, h.events);
  auto e = h.take();
  REQUIRE(e.size() == 1);
  CHECK(e[0].kind == FaultKind::chatter);
  CHECK(e[0].start_ns == bad);
  h.health.advance_to(bad + 10 * s, h.events);
  CHECK(h.take().empty());  // not yet ten calm seconds
  h.health.advance_to(bad + 11 * s, h.events);
  e = h.take();
  REQUIRE(e.size() == 1);
  CHECK(e[0].kind == FaultKind::chatter);
  CHECK(e[0].end_ns == bad + s);  // the span ends with the last second that chattered
}

TEST_CASE("a repeated level is a lost edge; the span closes a minute after the last", "[health]") {
  Harness h;
  h.edge(t0, loop_a, true);
  h.edge(t0 + s, loop_a, true);
  auto e = h.take();
  REQUIRE(e.size() == 1);
  CHECK(e[0].kind == FaultKind::lost_edges);
  CHECK(e[0].start_ns == t0 + s);
  h.edge(t0 + 2 * s, loop_a, false);
  h.edge(t0 + 3 * s, loop_a, false);
  CHECK(h.health.health(loop_a).lost_edges == 2);
  h.health.advance_to(t0 + 62 * s, h.events);
  CHECK(h.take().empty());
  h.health.advance_to(t0 + 63 * s, h.events);
  e = h.take();
  REQUIRE(e.size() == 1);
  CHECK(e[0].end_ns == t0 + 3 * s);
}

TEST_CASE("two loops whose on-times for the same traffic differ by 30 % are mismatched", "[health]") {
  Harness h;
  std::int64_t t = t0;
  auto passes = [&](double ratio_b) {
    for (int i = 0; i < SensorHealth::on_time_window; ++i, t += 5 * s) {
      const std::int64_t on_time = 400'000'000 + (i % 7) * 20'000'000;  // a spread of vehicle lengths
      h.pass(t, on_time, static_cast<std::int64_t>(static_cast<double>(on_time) * ratio_b));
    }
  };
  passes(1.03);  // card tolerance
  CHECK(h.take().empty());
  passes(1.3);
  auto e = h.take();
  REQUIRE(e.size() == 1);
  CHECK(e[0].kind == FaultKind::on_time_mismatch);
  CHECK(e[0].input == loop_a);
  CHECK(e[0].detail == "median on-time ratio 1.300");
  passes(1.0);
  e = h.take();
  REQUIRE(e.size() == 1);
  CHECK(e[0].end_ns);
}

TEST_CASE("a radar input without a single edge for 30 minutes has lost its signal", "[health]") {
  const Site site = test::two_loop_site_with_radar();
  SensorHealth health(site);
  std::vector<FaultEvent> e;
  health.push(Edge{t0, 2, true}, e);
  health.push(Edge{t0 + 1000, 2, false}, e);
  health.advance_to(t0 + 29 * 60 * s, e);
  CHECK(e.empty());
  health.advance_to(t0 + 30 * 60 * s + 1000, e);
  REQUIRE(e.size() == 1);
  CHECK(e[0].input == 2);
  CHECK(e[0].kind == FaultKind::silent);
  CHECK(e[0].start_ns == t0 + 1000);
}
