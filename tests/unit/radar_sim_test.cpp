// Radar sites in the simulator: deterministic, well-formed edges (time
// order, levels alternating per output), truth in time order, and the
// detector recovering the simulated vehicles.
#include <algorithm>
#include <cmath>
#include <map>
#include <vector>

#include <catch2/catch.hpp>

#include "daemon/detect/vehicle_detector.hpp"
#include "drivers/sim/radar_model.hpp"
#include "drivers/sim/simulator.hpp"

using namespace roadspeed;

namespace {

Site roadside(bool with_q) {
  Site s;
  s.id = "test-radar";
  s.inputs = {Input{"radar_i", "gpiochip0", 24, false, Bias::as_is}};
  Radar r;
  r.id = "r1";
  r.input = 0;
  r.angle_deg = 20;
  r.forward = "northbound";
  r.forward_offset_m = 2.5;
  if (with_q) {
    s.inputs.push_back(Input{"radar_q", "gpiochip0", 25, false, Bias::as_is});
    r.input_q = 1;
    r.reverse = "southbound";
    r.reverse_offset_m = 5.5;
  }
  s.radars = {r};
  return s;
}

struct Run {
  std::vector<Edge> edges;
  std::vector<TruthVehicle> truth;
};

Run simulate_run(const Site& site, double hours, std::uint64_t seed) {
  SimOptions o;
  o.hours = hours;
  o.seed = seed;
  o.scenario.traffic.diurnal = false;
  Run r;
  simulate(site, o, [&](const Edge& e) { r.edges.push_back(e); },
           [&](const TruthVehicle& t) { r.truth.push_back(t); });
  return r;
}

}  // namespace

TEST_CASE("a radar simulation is the same for the same seed and differs for another", "[radar]") {
  const Site site = roadside(true);
  const Run a = simulate_run(site, 0.02, 5);
  const Run b = simulate_run(site, 0.02, 5);
  const Run c = simulate_run(site, 0.02, 6);
  REQUIRE(!a.edges.empty());
  CHECK(a.edges == b.edges);
  CHECK_FALSE(a.edges == c.edges);
}

TEST_CASE("simulated radar edges are in time order and each output alternates its level", "[radar]") {
  const Site site = roadside(true);
  const Run r = simulate_run(site, 0.05, 8);
  REQUIRE(r.edges.size() > 1000);
  std::map<InputId, int> level;
  for (std::size_t i = 0; i < r.edges.size(); ++i) {
    const Edge& e = r.edges[i];
    if (i > 0) REQUIRE(std::tie(r.edges[i - 1].t_ns, r.edges[i - 1].input) <= std::tie(e.t_ns, e.input));
    const int before = level.count(e.input) ? level[e.input] : 0;
    REQUIRE(e.level != before);
    level[e.input] = e.level;
  }
}

TEST_CASE("radar truth rows are in time order, name the radar and carry both directions", "[radar]") {
  const Site site = roadside(true);
  const Run r = simulate_run(site, 0.1, 9);
  REQUIRE(r.truth.size() > 20);
  int reverse = 0;
  for (std::size_t i = 0; i < r.truth.size(); ++i) {
    if (i > 0) CHECK(r.truth[i - 1].t_ns <= r.truth[i].t_ns);
    CHECK(r.truth[i].detector == 0);  // the site's first detector: no traps
    CHECK(r.truth[i].speed_kmh > 3);
    if (r.truth[i].direction == Direction::reverse) ++reverse;
  }
  CHECK(reverse > 5);
}

TEST_CASE("the detector finds the simulated roadside radar's vehicles and their speeds", "[radar]") {
  for (bool with_q : {true, false}) {
    const Site site = roadside(with_q);
    const Run r = simulate_run(site, 0.1, 10);
    VehicleDetector d(site);
    std::vector<Vehicle> found;
    for (const Edge& e : r.edges) d.push(e, found);
    d.finish(found);
    std::size_t matched = 0;
    std::vector<double> err_pct;
    std::vector<bool> used(found.size());
    for (const TruthVehicle& t : r.truth) {
      for (std::size_t k = 0; k < found.size(); ++k) {
        if (used[k] || found[k].direction != t.direction || std::llabs(found[k].t_ns - t.t_ns) > 300'000'000) continue;
        used[k] = true;
        ++matched;
        if (found[k].speed_kmh) err_pct.push_back(100 * std::abs(*found[k].speed_kmh / t.speed_kmh - 1));
        break;
      }
    }
    INFO("with_q " << with_q << ": " << matched << " of " << r.truth.size() << ", " << found.size() << " found");
    CHECK(static_cast<double>(matched) >= 0.97 * static_cast<double>(r.truth.size()));
    CHECK(static_cast<double>(found.size()) <= 1.03 * static_cast<double>(r.truth.size()));
    REQUIRE(!err_pct.empty());
    std::sort(err_pct.begin(), err_pct.end());
    CHECK(err_pct[err_pct.size() / 2] < 0.3);
  }
}

TEST_CASE("a roadside pass sweeps its Doppler frequency down by several per cent at constant speed", "[radar]") {
  const Site site = roadside(true);
  RadarParams params;
  const sim::RadarLane lane = sim::make_radar_lane(site.radars[0], params, false);
  sim::SimVehicle v;
  v.t_ns = 1764158400000000000;
  v.motion = sim::Motion{40 / 3.6, 0};
  v.body.length_m = 4.5;
  const sim::RadarPass pass(lane, v, 1.0);
  REQUIRE(pass.seen());
  const double f_first = pass.frequency_hz(pass.strong_from_ns());
  const double f_last = pass.frequency_hz(pass.strong_to_ns());
  CHECK(f_first > f_last * 1.04);
  CHECK(pass.amplitude(pass.axis_ns()) > pass.amplitude(pass.from_ns()));
}
