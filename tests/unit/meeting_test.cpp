// Meetings of two and three vehicles over a trap spanning a two-way road,
// on noise-free edges from the geometry alone (pass_builder.hpp): where the
// merged presences hide an arrival, which vehicles are counted, when, and
// which speeds are still measured (docs/detection.md, "Meetings").
#include <catch2/catch.hpp>

#include <cstdlib>

#include "daemon/detect/vehicle_detector.hpp"
#include "pass_builder.hpp"

using namespace roadspeed;
using test::Pass;

namespace {

std::vector<Vehicle> detect(const std::vector<Pass>& passes) {
  const Site site = test::two_loop_site();
  VehicleDetector d(site);
  std::vector<Vehicle> v;
  for (const Edge& x : test::edges_of(site.traps[0], passes)) d.push(x, v);
  d.finish(v);
  return v;
}

// Within `ms` milliseconds of `s` seconds after the test's epoch.
bool near(std::int64_t t_ns, double s, double ms) {
  return std::llabs(t_ns - test::to_epoch_ns(s)) <= static_cast<std::int64_t>(ms * 1e6);
}

// Four northbound cars at 36 km/h, 2 s apart: they set the street's typical
// speed before the case under test, from t = 10 s.
std::vector<Pass> typical_cars() {
  std::vector<Pass> passes;
  for (double t : {0.0, 2.0, 4.0, 6.0}) passes.push_back(Pass{t, 10, 0, false, {{0.0, 4.0}}});
  return passes;
}

}  // namespace

TEST_CASE("a follower that ends the merged presence of a meeting is counted as a third vehicle", "[detect]") {
  // Loop A: the first car alone, then the oncoming car and the follower in
  // one presence that ends last. Loop B: one merged presence, ended by the
  // follower, too late for the first car and too early for the oncoming one.
  auto v = detect({Pass{0.0, 10, 0, false, {{0.0, 4.0}}}, Pass{0.7, 8, 0, true, {{0.0, 4.5}}},
                   Pass{0.9, 10, 0, false, {{0.0, 4.0}}}});
  REQUIRE(v.size() == 3);
  CHECK(v[0].direction == Direction::forward);
  CHECK(v[0].t_ns == test::to_epoch_ns(0.0));
  CHECK(v[0].flags.has(Flag::lead_only));
  REQUIRE(v[0].speed_kmh);
  CHECK(*v[0].speed_kmh == Approx(36).epsilon(1e-6));
  // The oncoming car's arrival on loop B is hidden: no earlier than one
  // transit of the first car (0.3 s) before loop A's second presence began
  // (0.6 s), no later than the first car left loop B (0.85 s); the middle.
  CHECK(v[1].direction == Direction::reverse);
  CHECK(near(v[1].t_ns, 0.725, 1e-6));
  CHECK(near(v[1].t_ns, 0.7, 30));  // its true arrival
  CHECK_FALSE(v[1].speed_kmh);
  // The follower arrived where loop A's second presence began.
  CHECK(v[2].direction == Direction::forward);
  CHECK(v[2].t_ns == test::to_epoch_ns(0.9));
  CHECK_FALSE(v[2].speed_kmh);
  for (const Vehicle& x : v) CHECK(x.flags.has(Flag::overlap));
}

TEST_CASE("a lone presence begun inside a meeting's presence is the vehicle whose arrival merged there", "[detect]") {
  // A moped and an oncoming car meet; a second northbound car reaches loop A
  // while the oncoming car is still on it, and shows up alone on loop B.
  auto v = detect({Pass{0.0, 10, 0, false, {{0.0, 2.0}}}, Pass{0.45, 12, 0, true, {{0.0, 4.5}}},
                   Pass{1.0, 10, 0, false, {{0.0, 4.0}}}});
  REQUIRE(v.size() == 3);
  CHECK(v[0].direction == Direction::forward);
  CHECK(v[0].flags.has(Flag::lead_only));
  CHECK(*v[0].speed_kmh == Approx(36).epsilon(1e-6));
  CHECK(v[1].direction == Direction::reverse);
  CHECK(near(v[1].t_ns, 0.45, 100));
  // Not a southbound vehicle loop A missed (missed_second at 1.3 s): the
  // northbound car, dated one transit before its presence on loop B.
  CHECK(v[2].direction == Direction::forward);
  CHECK(near(v[2].t_ns, 1.0, 1e-6));
  CHECK(v[2].flags.has(Flag::overlap));
  CHECK_FALSE(v[2].flags.has(Flag::missed_second));
  CHECK_FALSE(v[2].speed_kmh);
}

TEST_CASE("a leading pair far faster than the street's traffic is no speed where an oncoming arrival explains it", "[detect]") {
  // Ordinary cars at 36 km/h set the trap's typical speed. Then a southbound
  // car reaches loop B 70 ms before a northbound moped reaches loop A: read
  // as one vehicle's leading pair, that would be 154 km/h.
  std::vector<Pass> passes;
  for (int i = 0; i < 5; ++i) passes.push_back(Pass{3.0 * i, 10, 0, i % 2 == 1, {{0.0, 4.0}}});
  passes.push_back(Pass{20.0, 11.5, 0, true, {{0.0, 4.3}}});
  passes.push_back(Pass{20.07, 6.5, 0, false, {{0.0, 1.4}}});
  auto v = detect(passes);
  REQUIRE(v.size() == 7);
  const Vehicle& car = v[5];
  const Vehicle& moped = v[6];
  CHECK(car.direction == Direction::reverse);
  CHECK(car.t_ns == test::to_epoch_ns(20.0));
  CHECK_FALSE(car.speed_kmh);
  CHECK_FALSE(car.flags.has(Flag::lead_only));
  CHECK(moped.direction == Direction::forward);
  CHECK(moped.t_ns == test::to_epoch_ns(20.07));  // loop A's start was its own arrival
  CHECK_FALSE(moped.speed_kmh);
  for (const Vehicle* x : {&car, &moped}) CHECK(x->flags.has(Flag::overlap));
}

TEST_CASE("two presences too far apart on one loop and room on the other for an oncoming vehicle are three vehicles", "[detect]") {
  // Loop B sees two southbound cars apart; loop A one merged presence, with
  // a stretch neither of them was over: a northbound car filled it.
  auto v = detect({Pass{0.0, 9, 0, true, {{0.0, 4.0}}}, Pass{0.9, 10, 0, false, {{0.0, 4.0}}},
                   Pass{1.0, 9, 0, true, {{0.0, 4.0}}}});
  REQUIRE(v.size() == 3);
  CHECK(v[0].direction == Direction::reverse);
  CHECK(v[0].flags.has(Flag::lead_only));
  REQUIRE(v[0].speed_kmh);
  CHECK(*v[0].speed_kmh == Approx(32.4).epsilon(1e-6));
  CHECK(v[1].direction == Direction::forward);
  CHECK(near(v[1].t_ns, 0.9, 100));  // hidden on both loops
  CHECK_FALSE(v[1].speed_kmh);
  CHECK(v[2].direction == Direction::reverse);
  CHECK(v[2].t_ns == test::to_epoch_ns(1.0));
  CHECK_FALSE(v[2].speed_kmh);  // its trailing edge on loop B is the northbound car's
  for (const Vehicle& x : v) {
    CHECK(x.flags.has(Flag::overlap));
    CHECK_FALSE(x.flags.has(Flag::implausible));
  }
}

TEST_CASE("first and last edges far beyond what one vehicle's braking allows are two vehicles meeting", "[detect]") {
  // A northbound car reaches loop A, a southbound one loop B 104 ms later;
  // the presences merge on both loops. As one vehicle: 104 km/h leading,
  // 45 km/h trailing, less than a second apart.
  auto v = detect({Pass{0.0, 8.7, 0, false, {{0.0, 5.4}}}, Pass{0.104, 9.8, 0, true, {{0.0, 3.3}}}});
  REQUIRE(v.size() == 2);
  CHECK(v[0].direction == Direction::forward);
  CHECK(v[0].t_ns == test::to_epoch_ns(0.0));
  CHECK(v[1].direction == Direction::reverse);
  CHECK(v[1].t_ns == test::to_epoch_ns(0.104));  // too soon after the first for it: its own arrival
  for (const Vehicle& x : v) {
    CHECK(x.flags.has(Flag::overlap));
    CHECK_FALSE(x.flags.has(Flag::implausible));
    CHECK_FALSE(x.speed_kmh);
  }
}

TEST_CASE("a slow pairing begun inside a decided vehicle's presence is an oncoming vehicle whose arrival merged there", "[detect]") {
  // Northbound cars at 36 km/h set the street's typical speed. A southbound
  // car then pairs cleanly; a northbound car reaches loop A while the
  // southbound one is still on it (their presences merge there) and shows on
  // loop B on its own. A third car reaches loop A 0.85 s after that: its
  // presence there and the second car's on loop B read as a southbound
  // vehicle at 12.7 km/h, a quarter of the street's speed.
  std::vector<Pass> passes = typical_cars();
  passes.push_back(Pass{10.0, 10, 0, true, {{0.0, 4.0}}});
  passes.push_back(Pass{10.35, 10, 0, false, {{0.0, 4.0}}});
  passes.push_back(Pass{11.5, 10, 0, false, {{0.0, 4.0}}});
  auto v = detect(passes);
  REQUIRE(v.size() == 7);
  CHECK(v[4].direction == Direction::reverse);
  CHECK(v[4].t_ns == test::to_epoch_ns(10.0));
  REQUIRE(v[4].speed_kmh);
  // The merged arrival: northbound, dated one transit (the southbound car's)
  // before its presence on loop B, without a speed.
  CHECK(v[5].direction == Direction::forward);
  CHECK(near(v[5].t_ns, 10.35, 1e-3));
  CHECK(v[5].flags.has(Flag::overlap));
  CHECK_FALSE(v[5].speed_kmh);
  CHECK(v[6].direction == Direction::forward);
  CHECK(v[6].t_ns == test::to_epoch_ns(11.5));
  REQUIRE(v[6].speed_kmh);
  CHECK(*v[6].speed_kmh == Approx(36).epsilon(1e-6));
}

TEST_CASE("a slow follower of a slow vehicle stays a vehicle of its own", "[detect]") {
  // The same shape in slow traffic after the typical cars: a southbound
  // car at 16 km/h, and a southbound follower at 14 km/h that reaches loop B
  // while the first is still on loop A: a platoon, not a merged arrival.
  std::vector<Pass> passes = typical_cars();
  passes.push_back(Pass{10.0, 4.5, 0, true, {{0.0, 2.0}}});
  passes.push_back(Pass{10.9, 3.9, 0, true, {{0.0, 2.0}}});
  auto v = detect(passes);
  REQUIRE(v.size() == 6);
  CHECK(v[5].direction == Direction::reverse);
  CHECK(v[5].t_ns == test::to_epoch_ns(10.9));
  REQUIRE(v[5].speed_kmh);
  CHECK(*v[5].speed_kmh == Approx(3.9 * 3.6).epsilon(1e-6));
}

TEST_CASE("a trailing pair far slower than the street, stretched by a later vehicle, gives a meeting no speed", "[detect]") {
  // After cars at 36 km/h, a northbound car meets a southbound one; a second
  // northbound car reaches loop A before the southbound one has left it, so
  // the last presence there ends 0.7 s after the merged one on loop B: a
  // trailing pair of 15 km/h that is not the southbound car's.
  std::vector<Pass> passes = typical_cars();
  passes.push_back(Pass{10.0, 10, 0, false, {{0.0, 4.0}}});
  passes.push_back(Pass{10.8, 10, 0, true, {{0.0, 5.0}}});
  passes.push_back(Pass{11.6, 10, 0, false, {{0.0, 4.0}}});
  auto v = detect(passes);
  REQUIRE(v.size() == 7);
  CHECK(v[4].direction == Direction::forward);
  CHECK(v[4].flags.has(Flag::lead_only));
  // The southbound car: no speed, dated one transit before the last presence
  // on loop A began (its arrival there), not 0.4 s early by the stretched pair.
  CHECK(v[5].direction == Direction::reverse);
  CHECK_FALSE(v[5].speed_kmh);
  CHECK(near(v[5].t_ns, 10.8, 1e-3));
  // The second northbound car, alone on loop B, inside the meeting's presence on A.
  CHECK(v[6].direction == Direction::forward);
  CHECK(near(v[6].t_ns, 11.6, 1e-3));
}

TEST_CASE("a car hidden behind a truck it meets is dated from where the truck's presence can no longer explain", "[detect]") {
  // After cars at 36 km/h, a southbound truck (12 m of metal, 36 km/h) meets
  // a northbound car that reaches loop A 0.6 s after the truck did: the car
  // is over each loop only while the truck is too, except that it leaves
  // loop B 0.4 s after the truck. One presence on each loop.
  std::vector<Pass> passes = typical_cars();
  passes.push_back(Pass{10.0, 10, 0, true, {{0.0, 12.0}}});
  passes.push_back(Pass{10.9, 10, 0, false, {{0.0, 4.0}}});
  auto v = detect(passes);
  REQUIRE(v.size() == 6);
  CHECK(v[4].direction == Direction::reverse);
  CHECK(v[4].t_ns == test::to_epoch_ns(10.0));
  // The truck left loop B 1.35 s after it arrived (its occupancy of loop A);
  // the car ended loop B's presence at 11.75 s: a typical car (4.5 m of
  // metal at the street's 36 km/h) arrived 0.9 s before that. Not at the
  // start of loop A's presence (10.3 s, the truck's arrival there).
  CHECK(v[5].direction == Direction::forward);
  CHECK(near(v[5].t_ns, 10.85, 1e-3));
  CHECK(near(v[5].t_ns, 10.9, 100));  // its true arrival
  CHECK_FALSE(v[5].speed_kmh);
  for (const Vehicle* x : {&v[4], &v[5]}) CHECK(x->flags.has(Flag::overlap));
}

TEST_CASE("an oncoming truck that arrived together with the first car keeps the merged presence's start", "[detect]") {
  // The other reading of such edges: a southbound car (5 m of metal), and
  // a northbound truck that reaches loop A 20 ms after the car did and
  // loop B just before the car has left it. One presence on each loop, the
  // one on loop B 1.97 s long, as if the first vehicle were a truck; but it
  // ends one transit (0.3 s) after loop A's, as a long oncoming vehicle's
  // own trailing pair would. Both readings need one long vehicle, so the
  // start of loop A's presence stays the oncoming vehicle's date.
  std::vector<Pass> passes = typical_cars();
  passes.push_back(Pass{10.0, 10, 0, true, {{0.0, 5.0}}});
  passes.push_back(Pass{10.32, 10, 0, false, {{0.0, 12.0}}});
  auto v = detect(passes);
  REQUIRE(v.size() == 6);
  CHECK(v[4].direction == Direction::reverse);
  CHECK(v[4].t_ns == test::to_epoch_ns(10.0));
  CHECK(v[5].direction == Direction::forward);
  CHECK(v[5].t_ns == test::to_epoch_ns(10.3));
  CHECK(near(v[5].t_ns, 10.32, 30));  // its true arrival
}
