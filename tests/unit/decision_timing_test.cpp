// When detection decides: as soon as nothing still to come can change a
// vehicle (docs/detection.md, "When a vehicle is decided"), the same vehicle
// it would give by waiting, and in each detector's order for the daemon.
#include <catch2/catch.hpp>

#include <algorithm>
#include <vector>

#include "daemon/detect/loop_activation.hpp"
#include "daemon/detect/radar_detector.hpp"
#include "daemon/detect/trap_limits.hpp"
#include "daemon/detect/vehicle_detector.hpp"
#include "drivers/sim/simulator.hpp"
#include "pass_builder.hpp"

using namespace roadspeed;
using test::Pass;

namespace {

struct Emitted {
  Vehicle vehicle;
  std::int64_t at_ns = 0;  // the detector's time when it came out
};

// As the daemon drives it: each edge as it comes, and advance_to() exactly
// when next_wakeup_ns() says something may be decided.
std::vector<Emitted> drive_live(VehicleDetector& d, const std::vector<Edge>& edges, std::int64_t end_ns) {
  std::vector<Emitted> out;
  std::vector<Vehicle> got;
  auto take = [&](std::int64_t now) {
    for (const Vehicle& v : got) out.push_back(Emitted{v, now});
    got.clear();
  };
  std::int64_t now = 0;
  for (std::size_t i = 0;;) {
    const std::int64_t next_edge = i < edges.size() ? edges[i].t_ns : end_ns;
    if (const std::int64_t wake = d.next_wakeup_ns(); wake < next_edge) {
      REQUIRE(wake > now);  // else the daemon would spin
      d.advance_to(wake, got);
      take(now = wake);
      continue;
    }
    if (i == edges.size()) break;
    d.push(edges[i], got);
    take(now = edges[i].t_ns);
    ++i;
  }
  d.advance_to(end_ns, got);
  take(end_ns);
  return out;
}

// As `roadspeed analyze` drives it: edges, then the end of input.
std::vector<Vehicle> analyze(const Site& site, const std::vector<Edge>& edges) {
  VehicleDetector d(site);
  std::vector<Vehicle> out;
  for (const Edge& e : edges) d.push(e, out);
  d.finish(out);
  return out;
}

std::vector<Edge> simulated_edges(const Site& site, std::uint64_t seed, double hours) {
  SimOptions o;
  o.hours = hours;
  o.seed = seed;
  o.scenario.traffic.volume_vph = 700;
  o.scenario.traffic.diurnal = false;
  std::vector<Edge> edges;
  simulate(site, o, [&](const Edge& e) { edges.push_back(e); }, [](const TruthVehicle&) {});
  return edges;
}

bool same_row(const Vehicle& a, const Vehicle& b) {
  return a.t_ns == b.t_ns && a.detector == b.detector && a.direction == b.direction && a.speed_kmh == b.speed_kmh &&
         a.length_m == b.length_m && a.vehicle_class == b.vehicle_class && a.flags == b.flags &&
         a.last_edge_ns == b.last_edge_ns;
}

Site two_trap_site() {
  Site s = test::two_loop_site(true);
  s.inputs.push_back(Input{"loop_c", "gpiochip0", 5, true, Bias::as_is});
  s.inputs.push_back(Input{"loop_d", "gpiochip0", 6, true, Bias::as_is});
  Trap t = s.traps[0];
  t.id = "t2";
  t.first = 2;
  t.second = 3;
  s.traps.push_back(t);
  return s;
}

}  // namespace

TEST_CASE("a pass is decided once no hitch can join it, not after the slowest partner's window", "[detect]") {
  const Site site = test::two_loop_site();
  const double v_mps = 50 / 3.6;
  const auto edges = test::edges_of(site.traps[0], {Pass{0.0, v_mps, 0, false, {{0.0, 4.0}}}});
  const std::int64_t last_edge = edges.back().t_ns;  // the second loop's trailing edge
  VehicleDetector d(site, VehicleDetector::Mode::live);
  const auto out = drive_live(d, edges, last_edge + 10'000'000'000);
  REQUIRE(out.size() == 1);
  CHECK(out[0].vehicle.last_edge_ns == last_edge);
  CHECK(out[0].vehicle.speed_kmh);
  // It waits for the debounce and a hitch's gap at its speed (a trailer
  // could still follow), and no longer: readiness alone would wait for a
  // 3 km/h partner, seconds.
  const std::int64_t hitch = trap_limits::hitch_gap_ns(v_mps);
  const std::int64_t waited = out[0].at_ns - last_edge;
  CHECK(waited > hitch);
  CHECK(waited <= hitch + LoopDebouncer::default_burst_gap_ns + 2);
}

TEST_CASE("a trailer following across a hitch gap still joins its towing vehicle", "[detect]") {
  const Site site = test::two_loop_site();
  // A truck and trailer: 2 m without metal at the hitch, longer than the loop.
  const auto edges = test::edges_of(site.traps[0], {Pass{0.0, 40 / 3.6, 0, false, {{0.0, 6.0}, {8.0, 15.5}}}});
  VehicleDetector d(site, VehicleDetector::Mode::live);
  const auto out = drive_live(d, edges, edges.back().t_ns + 10'000'000'000);
  REQUIRE(out.size() == 1);
  CHECK(out[0].vehicle.flags.has(Flag::split));
  CHECK(out[0].vehicle.last_edge_ns == edges.back().t_ns);
}

TEST_CASE("deciding as soon as settled gives exactly the rows of deciding at the end of input", "[detect][replay]") {
  for (const bool one_way : {true, false}) {
    for (std::uint64_t seed : {1u, 2u, 3u}) {
      const Site site = test::two_loop_site(one_way);
      const auto edges = simulated_edges(site, seed, 2);
      const auto expected = analyze(site, edges);
      VehicleDetector live(site, VehicleDetector::Mode::live);
      const auto got = drive_live(live, edges, edges.back().t_ns + 200'000'000'000);
      INFO("one_way " << one_way << " seed " << seed);
      REQUIRE(got.size() == expected.size());
      std::size_t differ = 0;
      for (std::size_t i = 0; i < got.size(); ++i) differ += same_row(got[i].vehicle, expected[i]) ? 0 : 1;
      CHECK(differ == 0);
      REQUIRE(expected.size() > 1000);
    }
  }
}

TEST_CASE("most vehicles are decided within a few hundred ms of their last edge", "[detect][replay]") {
  const Site site = test::two_loop_site(false);
  const auto edges = simulated_edges(site, 4, 2);
  VehicleDetector d(site, VehicleDetector::Mode::live);
  const auto got = drive_live(d, edges, edges.back().t_ns + 200'000'000'000);
  std::vector<std::int64_t> waits;
  for (const Emitted& e : got) waits.push_back(e.at_ns - e.vehicle.last_edge_ns);
  REQUIRE(waits.size() > 1000);
  std::sort(waits.begin(), waits.end());
  CHECK(waits.front() >= 0);
  // The median pass waits for its debounce and hitch gap (~0.1 s at 30-50 km/h).
  CHECK(waits[waits.size() / 2] < 200'000'000);
}

TEST_CASE("in detector order, a vehicle does not wait for another detector's open presence", "[detect]") {
  const Site site = two_trap_site();
  auto edges = test::edges_of(site.traps[0], {Pass{1.0, 50 / 3.6, 0, false, {{0.0, 4.0}}}});
  // t2's first loop turns active before t1's car and stays so (a parked car).
  edges.insert(edges.begin(), Edge{test::to_epoch_ns(0.5), 2, 1});
  const std::int64_t end = test::to_epoch_ns(5.0);
  VehicleDetector by_detector(site, VehicleDetector::Mode::live);
  const auto quick = drive_live(by_detector, edges, end);
  REQUIRE(quick.size() == 1);
  CHECK(quick[0].at_ns < test::to_epoch_ns(2.0));
  // In site order it must wait: t2 may still produce an earlier row.
  VehicleDetector by_site(site, VehicleDetector::Mode::batch);
  CHECK(drive_live(by_site, edges, end).empty());
}

TEST_CASE("a radar's unfinished block of pulses ends when the tone stops", "[detect][radar]") {
  Site site;
  site.inputs = {Input{"radar_i", "gpiochip0", 24, false, Bias::as_is}};
  Radar r;
  r.id = "r1";
  r.input = 0;
  r.angle_deg = 20;
  r.forward = "east";
  site.radars = {r};
  VehicleDetector d(site, VehicleDetector::Mode::live);
  std::vector<Vehicle> out;
  const std::int64_t t0 = test::t_base_ns;
  for (int k = 0; k < 5; ++k) d.push(Edge{t0 + k * 1'000'000, 0, static_cast<std::uint8_t>(1)}, out);
  CHECK_FALSE(d.idle());
  const std::int64_t wake = d.next_wakeup_ns();
  CHECK(wake == t0 + 4'000'000 + RadarDetector::pulse_gap_ns + 1);
  d.advance_to(wake, out);
  CHECK(d.idle());
  CHECK(out.empty());
}
