#include <catch2/catch.hpp>

#include <random>

#include "daemon/detect/footprint.hpp"
#include "daemon/detect/vehicle_detector.hpp"
#include "pass_builder.hpp"

using namespace roadspeed;
using test::Pass;

namespace {

std::vector<Vehicle> detect_edges(const Site& site, const std::vector<Edge>& edges) {
  VehicleDetector d(site);
  std::vector<Vehicle> v;
  for (const Edge& x : edges) d.push(x, v);
  d.finish(v);
  return v;
}

std::vector<Vehicle> detect(const Site& site, const std::vector<Pass>& passes) {
  return detect_edges(site, test::edges_of(site.traps[0], passes));
}

double kmh(double mps) { return mps * 3.6; }

// Two vehicles, forward then reverse, counted without speeds.
void check_meeting_without_speeds(const std::vector<Vehicle>& v) {
  REQUIRE(v.size() == 2);
  CHECK(v[0].direction == Direction::forward);
  CHECK(v[1].direction == Direction::reverse);
  for (const Vehicle& x : v) {
    CHECK(x.flags.has(Flag::overlap));
    CHECK_FALSE(x.speed_kmh);
  }
}

}  // namespace

TEST_CASE("a lone car is measured exactly from noise-free edges", "[detect]") {
  const Site site = test::two_loop_site();
  auto v = detect(site, {Pass{0.0, 50 / 3.6, 0, false, {{0.0, 4.0}}}});
  REQUIRE(v.size() == 1);
  CHECK(v[0].t_ns == test::t_base_ns);
  CHECK(v[0].direction == Direction::forward);
  REQUIRE(v[0].speed_kmh);
  CHECK(*v[0].speed_kmh == Approx(50).epsilon(1e-6));
  REQUIRE(v[0].length_m);
  CHECK(*v[0].length_m == Approx(body_length_from_footprint(4.0)).margin(1e-6));
  CHECK(v[0].vehicle_class == VehicleClass::car);
  CHECK(v[0].flags.empty());
}

TEST_CASE("a vehicle meeting the second loop first drives the reverse direction", "[detect]") {
  auto v = detect(test::two_loop_site(), {Pass{0.0, 10, 0, true, {{0.0, 4.2}}}});
  REQUIRE(v.size() == 1);
  CHECK(v[0].direction == Direction::reverse);
  CHECK(*v[0].speed_kmh == Approx(36).epsilon(1e-6));
}

TEST_CASE("a vehicle against a one-way trap is reported forward and flagged wrong_way", "[detect]") {
  auto v = detect(test::two_loop_site(true), {Pass{0.0, 10, 0, true, {{0.0, 4.2}}}});
  REQUIRE(v.size() == 1);
  CHECK(v[0].direction == Direction::forward);
  CHECK(v[0].flags.has(Flag::wrong_way));
  CHECK(v[0].speed_kmh);
}

TEST_CASE("a platoon at 0.6 s headway is paired without slipping", "[detect]") {
  std::vector<Pass> platoon;
  for (int i = 0; i < 12; ++i)
    platoon.push_back(Pass{0.6 * i, (45.0 + (i % 3)) / 3.6, 0, false, {{0.0, 3.8 + 0.1 * (i % 4)}}});
  auto v = detect(test::two_loop_site(true), platoon);
  REQUIRE(v.size() == platoon.size());
  for (std::size_t i = 0; i < v.size(); ++i) {
    REQUIRE(v[i].speed_kmh);
    CHECK(*v[i].speed_kmh == Approx(kmh(platoon[i].speed_mps)).epsilon(1e-6));
    CHECK(v[i].flags.has(Flag::tailgate) == (i > 0));
  }
}

TEST_CASE("a presence split at a trailer hitch on both loops is one vehicle flagged split", "[detect]") {
  Pass truck{0.0, 12, 0, false, {{0.0, 6.0}, {8.0, 15.5}}};  // a 2 m hitch gap, longer than the loop
  auto v = detect(test::two_loop_site(), {truck});
  REQUIRE(v.size() == 1);
  CHECK(v[0].flags.has(Flag::split));
  CHECK(*v[0].speed_kmh == Approx(kmh(12)).epsilon(1e-6));
  CHECK(v[0].vehicle_class == VehicleClass::articulated);
}

TEST_CASE("a hitch dropout seen by one loop only still gives one vehicle", "[detect]") {
  const Site site = test::two_loop_site();
  Pass truck{0.0, 12, 0, false, {{0.0, 6.0}, {8.0, 15.5}}};
  auto edges = test::edges_of(site.traps[0], {truck});
  // Remove the dropout on the second loop: its fall and rise in the middle.
  std::vector<Edge> one_sided;
  int seen_b = 0;
  for (const Edge& e : edges)
    if (e.input != 1 || (++seen_b != 2 && seen_b != 3)) one_sided.push_back(e);
  auto v = detect_edges(site, one_sided);
  REQUIRE(v.size() == 1);
  CHECK(v[0].flags.has(Flag::split));
  CHECK(*v[0].speed_kmh == Approx(kmh(12)).epsilon(1e-6));
}

TEST_CASE("a two-wheeler missed by the second loop is counted without a speed", "[detect]") {
  const Site site = test::two_loop_site();
  auto edges = test::edges_of(site.traps[0], {Pass{0.0, 9, 0, false, {{0.2, 1.4}}}});
  std::erase_if(edges, [](const Edge& e) { return e.input == 1; });
  auto v = detect_edges(site, edges);
  REQUIRE(v.size() == 1);
  CHECK_FALSE(v[0].speed_kmh);
  CHECK(v[0].flags.has(Flag::missed_second));
  CHECK(v[0].vehicle_class == VehicleClass::unclassified);
}

TEST_CASE("on a one-way trap a vehicle the first loop missed is forward and flagged missed_first", "[detect]") {
  const Site site = test::two_loop_site(true);
  auto edges = test::edges_of(site.traps[0], {Pass{0.0, 9, 0, false, {{0.2, 1.4}}}});
  std::erase_if(edges, [](const Edge& e) { return e.input == 0; });
  auto v = detect_edges(site, edges);
  REQUIRE(v.size() == 1);
  CHECK(v[0].direction == Direction::forward);
  CHECK(v[0].flags.has(Flag::missed_first));
  CHECK_FALSE(v[0].flags.has(Flag::wrong_way));
}

TEST_CASE("vehicles meeting over a trap spanning the road are both counted, flagged overlap", "[detect]") {
  auto v = detect(test::two_loop_site(), {Pass{0.0, 11, 0, false, {{0.0, 4.3}}}, Pass{0.1, 12, 0, true, {{0.0, 4.5}}}});
  check_meeting_without_speeds(v);
}

namespace {

// Both loops occupied within 5 ms of each other, for 300 ms.
const std::vector<Edge> simultaneous{{test::t_base_ns, 0, 1}, {test::t_base_ns + 5'000'000, 1, 1},
                                     {test::t_base_ns + 300'000'000, 0, 0}, {test::t_base_ns + 305'000'000, 1, 0}};

}  // namespace

TEST_CASE("a pairing faster than 250 km/h is never reported as a speed", "[detect]") {
  auto v = detect_edges(test::two_loop_site(true), simultaneous);
  REQUIRE(v.size() == 1);
  CHECK_FALSE(v[0].speed_kmh);
  CHECK(v[0].flags.has(Flag::implausible));
}

TEST_CASE("on a two-way trap, presences too close for one vehicle are two meeting from both sides", "[detect]") {
  auto v = detect_edges(test::two_loop_site(), simultaneous);
  check_meeting_without_speeds(v);
}

TEST_CASE("the last vehicle of the night is closed by advance_to without further edges", "[detect]") {
  const Site site = test::two_loop_site();
  VehicleDetector d(site);
  std::vector<Vehicle> v;
  const auto edges = test::edges_of(site.traps[0], {Pass{0.0, 10, 0, false, {{0.0, 4.0}}}});
  for (const Edge& e : edges) d.push(e, v);
  CHECK(v.empty());
  d.advance_to(edges.back().t_ns + 50'000'000, v);
  CHECK(v.empty());  // a trailer could still follow across a hitch gap
  d.advance_to(test::to_epoch_ns(10.0), v);
  CHECK(v.size() == 1);
}

TEST_CASE("an accelerating vehicle is measured at the front's mean speed between the loops", "[detect]") {
  // The trailing edges time the rear about one occupancy later, when the
  // vehicle is faster: they must not pull the speed up.
  Pass p{0.0, 8, 2.0, false, {{0.0, 4.0}}};
  const double truth = 3.0 / test::time_to_travel(p, 3.0);
  auto v = detect(test::two_loop_site(), {p});
  REQUIRE(v.size() == 1);
  REQUIRE(v[0].speed_kmh);
  CHECK(*v[0].speed_kmh == Approx(kmh(truth)).epsilon(1e-6));
}

TEST_CASE("random noise-free passes in both directions are all counted at their exact speed", "[detect]") {
  std::mt19937_64 rng(42);
  std::uniform_real_distribution<double> speed(5, 35), length(3.0, 12.0), headway(3.0, 9.0);
  std::bernoulli_distribution reverse(0.5);
  std::vector<Pass> passes;
  double t = 0;
  for (int i = 0; i < 400; ++i) {
    t += headway(rng);
    passes.push_back(Pass{t, speed(rng), 0, reverse(rng), {{0.0, length(rng)}}});
  }
  auto v = detect(test::two_loop_site(), passes);
  REQUIRE(v.size() == passes.size());
  for (std::size_t i = 0; i < v.size(); ++i) {
    CHECK(v[i].direction == (passes[i].reverse ? Direction::reverse : Direction::forward));
    REQUIRE(v[i].speed_kmh);
    CHECK(*v[i].speed_kmh == Approx(kmh(passes[i].speed_mps)).epsilon(1e-6));
    CHECK(*v[i].length_m == Approx(body_length_from_footprint(passes[i].footprint[0].second)).margin(1e-6));
  }
}

TEST_CASE("vehicles of two traps come out in time order", "[detect]") {
  Site site = test::two_loop_site();
  site.inputs.push_back(Input{"loop_c", "gpiochip0", 5, true, Bias::as_is});
  site.inputs.push_back(Input{"loop_d", "gpiochip0", 6, true, Bias::as_is});
  Trap t2 = site.traps[0];
  t2.id = "t0";  // sorts before t1 on ties
  t2.first = 2;
  t2.second = 3;
  site.traps.push_back(t2);
  auto e1 = test::edges_of(site.traps[0], {Pass{0.0, 14}, Pass{5.0, 14}});
  auto e2 = test::edges_of(site.traps[1], {Pass{0.0, 14}, Pass{2.0, 8}});
  std::vector<Edge> all = e1;
  all.insert(all.end(), e2.begin(), e2.end());
  std::stable_sort(all.begin(), all.end(), [](const Edge& a, const Edge& b) { return a.t_ns < b.t_ns; });
  VehicleDetector d(site);
  std::vector<Vehicle> v;
  for (const Edge& e : all) d.push(e, v);
  d.finish(v);
  REQUIRE(v.size() == 4);
  CHECK(v[0].detector == 1);  // same time: "t0" before "t1"
  CHECK(v[1].detector == 0);
  CHECK(v[2].t_ns == test::to_epoch_ns(2.0));
  CHECK(v[3].t_ns == test::to_epoch_ns(5.0));
}

TEST_CASE("vehicles that merge on one loop only keep a speed from their clean pair of edges", "[detect]") {
  // The first leaves loop A before the oncoming one reaches it; both are on
  // loop B together. Its leading pair and the oncoming trailing pair are clean.
  auto v = detect(test::two_loop_site(), {Pass{0.0, 10, 0, false, {{0.0, 4.0}}}, Pass{0.6, 10, 0, true, {{0.0, 4.0}}}});
  REQUIRE(v.size() == 2);
  CHECK(v[0].direction == Direction::forward);
  CHECK(v[0].flags.has(Flag::lead_only));
  CHECK(*v[0].speed_kmh == Approx(36).epsilon(1e-6));
  CHECK(v[1].direction == Direction::reverse);
  CHECK(v[1].flags.has(Flag::trail_only));
  CHECK(*v[1].speed_kmh == Approx(36).epsilon(1e-6));
  CHECK(v[1].t_ns == test::to_epoch_ns(0.6));
  for (const Vehicle& x : v) CHECK(x.flags.has(Flag::overlap));
}

TEST_CASE("an oncoming moped hidden in a paired presence is counted from its second loop", "[detect]") {
  // The car going south covers loop A while the moped going north arrives
  // there; the moped shows up alone on loop B afterwards.
  auto v = detect(test::two_loop_site(), {Pass{0.0, 10, 0, true, {{0.0, 4.0}}}, Pass{0.5, 10, 0, false, {{0.0, 1.2}}}});
  REQUIRE(v.size() == 2);
  CHECK(v[0].direction == Direction::reverse);
  REQUIRE(v[0].speed_kmh);
  CHECK(*v[0].speed_kmh == Approx(36).epsilon(1e-6));
  CHECK(v[1].direction == Direction::forward);
  CHECK(v[1].flags.has(Flag::overlap));
  CHECK_FALSE(v[1].speed_kmh);
  CHECK(v[1].t_ns == test::to_epoch_ns(0.5));
}

TEST_CASE("with a dead second loop every vehicle is still counted, without a speed", "[detect]") {
  const Site site = test::two_loop_site(true);
  std::vector<Pass> passes;
  for (int i = 0; i < 20; ++i) passes.push_back(Pass{3.0 * i, 13, 0, false, {{0.0, 4.2}}});
  auto edges = test::edges_of(site.traps[0], passes);
  std::erase_if(edges, [](const Edge& e) { return e.input == 1; });
  auto v = detect_edges(site, edges);
  REQUIRE(v.size() == passes.size());
  for (const Vehicle& x : v) {
    CHECK(x.flags.has(Flag::missed_second));
    CHECK_FALSE(x.speed_kmh);
  }
}

TEST_CASE("a stuck loop is not a vehicle and does not hold back the other trap's vehicles", "[detect]") {
  Site site = test::two_loop_site();
  site.inputs.push_back(Input{"loop_c", "gpiochip0", 5, true, Bias::as_is});
  site.inputs.push_back(Input{"loop_d", "gpiochip0", 6, true, Bias::as_is});
  Trap t2 = site.traps[0];
  t2.id = "t2";
  t2.first = 2;
  t2.second = 3;
  site.traps.push_back(t2);
  VehicleDetector d(site);
  std::vector<Vehicle> v;
  d.push(Edge{test::t_base_ns, 0, 1}, v);  // loop_a goes active and stays so
  for (int i = 0; i < 10; ++i)
    for (const Edge& e : test::edges_of(site.traps[1], {Pass{60.0 * i + 1, 12}})) d.push(e, v);
  d.advance_to(test::to_epoch_ns(700), v);
  CHECK(v.size() == 10);  // trap t2's vehicles came out while loop_a was stuck
  for (const Vehicle& x : v) CHECK(x.detector == 1);
  d.push(Edge{test::to_epoch_ns(701), 0, 0}, v);  // released after 701 s
  d.finish(v);
  CHECK(v.size() == 10);
}

TEST_CASE("a detector is idle only when no loop is occupied and nothing waits to be decided", "[detect]") {
  const Site site = test::two_loop_site();
  const auto edges = test::edges_of(site.traps[0], {Pass{0.0, 50 / 3.6, 0, false, {{0.0, 4.0}}}});
  VehicleDetector d(site);
  std::vector<Vehicle> v;
  CHECK(d.idle());
  d.push(edges.front(), v);
  CHECK_FALSE(d.idle());  // on the first loop
  for (std::size_t i = 1; i < edges.size(); ++i) d.push(edges[i], v);
  CHECK_FALSE(d.idle());  // both loops clear, the pairing still waits for its join window
  d.advance_to(edges.back().t_ns + 10'000'000'000, v);
  CHECK(v.size() == 1);
  CHECK(d.idle());
}
