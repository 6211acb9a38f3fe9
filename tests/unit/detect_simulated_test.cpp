// Detection over simulated traffic: invariants that must hold whatever the
// traffic does (the accuracy figures are scripts/bench-accuracy's job).
#include <catch2/catch.hpp>

#include <vector>

#include "daemon/detect/vehicle_detector.hpp"
#include "drivers/sim/simulator.hpp"
#include "pass_builder.hpp"

using namespace roadspeed;

namespace {

std::vector<Vehicle> detect_simulated(const Site& site, const SimOptions& options) {
  VehicleDetector detector(site);
  std::vector<Vehicle> out;
  simulate(site, options, [&](const Edge& e) { detector.push(e, out); }, [](const TruthVehicle&) {});
  detector.finish(out);
  return out;
}

SimOptions busy_street(std::uint64_t seed) {
  SimOptions o;
  o.hours = 6;
  o.seed = seed;
  o.scenario.traffic.volume_vph = 600;
  o.scenario.traffic.diurnal = false;
  return o;
}

}  // namespace

TEST_CASE("rows come out in time order even when meetings back-date a vehicle", "[replay]") {
  const Site site = test::two_loop_site();
  SimOptions villa_day;  // the default scenario: a villa street, a whole day
  villa_day.hours = 23;
  SimOptions noisy = busy_street(2);  // poor cards: jitter, chatter, spurious pulses
  noisy.scenario.cards.jitter_ms = 3.5;
  noisy.scenario.cards.chatter_prob = 0.1;
  noisy.scenario.cards.spurious_per_hour = 3;
  for (const SimOptions& o : {busy_street(1), noisy, villa_day}) {
    const auto v = detect_simulated(site, o);
    REQUIRE(v.size() > 5000);
    std::size_t out_of_order = 0;
    for (std::size_t i = 1; i < v.size(); ++i)
      if (v[i].t_ns < v[i - 1].t_ns ||
          (v[i].t_ns == v[i - 1].t_ns && v[i].direction == Direction::forward &&
           v[i - 1].direction == Direction::reverse))
        ++out_of_order;
    CHECK(out_of_order == 0);
  }
}

TEST_CASE("every vehicle with a speed has a length and a class from it", "[replay]") {
  const Site site = test::two_loop_site();
  for (const Vehicle& x : detect_simulated(site, busy_street(4))) {
    if (!x.speed_kmh) continue;
    REQUIRE(x.length_m);
    CHECK(*x.speed_kmh >= 3.0);
    CHECK(*x.speed_kmh <= 250.0);
    CHECK(x.vehicle_class != VehicleClass::unclassified);
    CHECK_FALSE(x.flags.has(Flag::implausible));
  }
}
