#include <catch2/catch.hpp>

#include <random>

#include "daemon/detect/loop_activation.hpp"

using roadspeed::Activation;
using roadspeed::LoopDebouncer;

namespace {

constexpr std::int64_t ms = 1'000'000;

std::vector<Activation> run(const std::vector<std::pair<std::int64_t, bool>>& edges) {
  LoopDebouncer d;
  std::vector<Activation> out;
  for (auto [t, level] : edges) d.push(t, level, out);
  d.advance_to(edges.back().first + 1000 * ms, out);
  return out;
}

}  // namespace

TEST_CASE("a clean activation keeps its exact edge times", "[detect]") {
  auto a = run({{100 * ms, true}, {400 * ms, false}});
  REQUIRE(a.size() == 1);
  CHECK(a[0].on_ns == 100 * ms);
  CHECK(a[0].off_ns == 400 * ms);
  CHECK_FALSE(a[0].chatter);
}

TEST_CASE("bounces after the rising edge do not move the start of the activation", "[detect]") {
  auto a = run({{100 * ms, true}, {101 * ms, false}, {102 * ms, true}, {104 * ms, false}, {105 * ms, true},
                {400 * ms, false}});
  REQUIRE(a.size() == 1);
  CHECK(a[0].on_ns == 100 * ms);
  CHECK(a[0].off_ns == 400 * ms);
  CHECK(a[0].chatter);
}

TEST_CASE("bounces after the falling edge do not move the end of the activation", "[detect]") {
  auto a = run({{100 * ms, true}, {400 * ms, false}, {402 * ms, true}, {403 * ms, false}, {409 * ms, true},
                {410 * ms, false}});
  REQUIRE(a.size() == 1);
  CHECK(a[0].off_ns == 400 * ms);
  CHECK(a[0].chatter);
}

TEST_CASE("a dropout shorter than the burst gap is removed and flagged", "[detect]") {
  auto a = run({{100 * ms, true}, {250 * ms, false}, {253 * ms, true}, {400 * ms, false}});
  REQUIRE(a.size() == 1);
  CHECK(a[0].on_ns == 100 * ms);
  CHECK(a[0].off_ns == 400 * ms);
  CHECK(a[0].chatter);
}

TEST_CASE("a dropout longer than the burst gap splits the activation", "[detect]") {
  auto a = run({{100 * ms, true}, {250 * ms, false}, {280 * ms, true}, {400 * ms, false}});
  REQUIRE(a.size() == 2);
  CHECK(a[0].off_ns == 250 * ms);
  CHECK(a[1].on_ns == 280 * ms);
}

TEST_CASE("a glitch between activations is dropped and counted as noise", "[detect]") {
  LoopDebouncer d;
  std::vector<Activation> out;
  d.push(100 * ms, true, out);
  d.push(103 * ms, false, out);
  d.advance_to(200 * ms, out);
  CHECK(out.empty());
  CHECK(d.noise_pulses() == 1);
  CHECK_FALSE(d.active_since());
}

TEST_CASE("a repeated level from a lost edge changes nothing", "[detect]") {
  auto a = run({{100 * ms, true}, {200 * ms, true}, {400 * ms, false}, {500 * ms, false}});
  REQUIRE(a.size() == 1);
  CHECK(a[0].on_ns == 100 * ms);
  CHECK(a[0].off_ns == 400 * ms);
}

TEST_CASE("an activation is not emitted before its falling burst has settled", "[detect]") {
  LoopDebouncer d;
  std::vector<Activation> out;
  d.push(100 * ms, true, out);
  d.push(400 * ms, false, out);
  d.advance_to(405 * ms, out);
  CHECK(out.empty());
  CHECK(d.earliest_pending_ns() == 100 * ms);
  d.advance_to(411 * ms, out);
  CHECK(out.size() == 1);
  CHECK_FALSE(d.earliest_pending_ns());
}

TEST_CASE("random chatter never biases the debounced transition times", "[detect]") {
  std::mt19937_64 rng(7);
  std::uniform_int_distribution<std::int64_t> occupancy(60 * ms, 900 * ms), gap(40 * ms, 900 * ms);
  std::uniform_int_distribution<int> bounces(0, 4);
  std::uniform_int_distribution<std::int64_t> bounce_step(ms / 5, 2 * ms);
  std::vector<std::pair<std::int64_t, bool>> edges;
  std::vector<Activation> truth;
  std::int64_t t = 0;
  for (int i = 0; i < 500; ++i) {
    t += gap(rng);
    Activation a{t, t + occupancy(rng), false};
    truth.push_back(a);
    for (auto [at, level] : {std::pair{a.on_ns, true}, std::pair{a.off_ns, false}}) {
      edges.emplace_back(at, level);
      std::int64_t b = at;
      for (int k = bounces(rng); k > 0; --k) {  // pairs of bounce edges after the transition
        b += bounce_step(rng);
        edges.emplace_back(b, !level);
        b += bounce_step(rng);
        edges.emplace_back(b, level);
      }
    }
    t = a.off_ns + 20 * ms;
  }
  auto got = run(edges);
  REQUIRE(got.size() == truth.size());
  for (std::size_t i = 0; i < got.size(); ++i) {
    CHECK(got[i].on_ns == truth[i].on_ns);
    CHECK(got[i].off_ns == truth[i].off_ns);
  }
}
