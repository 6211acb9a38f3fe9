// The GPIO merge window: edges of different lines, read by different
// handlers, come out in time order; late edges are handled as documented.
#include <catch2/catch.hpp>

#include <algorithm>
#include <random>
#include <vector>

#include "drivers/gpio/reorder_window.hpp"

using namespace roadspeed;

namespace {

constexpr std::int64_t kWindowNs = 5'000'000;

std::vector<Edge> release(ReorderWindow& w, std::int64_t now_ns) {
  std::vector<Edge> out;
  w.release(now_ns, out);
  return out;
}

std::vector<std::int64_t> times(const std::vector<Edge>& edges) {
  std::vector<std::int64_t> t;
  for (const auto& e : edges) t.push_back(e.t_ns);
  return t;
}

}  // namespace

TEST_CASE("out-of-order arrival within the window comes out sorted", "[gpio]") {
  ReorderWindow w(kWindowNs);
  w.push({1'000'000, 1, 1});  // line b's handler ran first
  w.push({400'000, 0, 1});    // line a's edge was earlier
  w.push({1'200'000, 0, 0});
  const auto out = release(w, 1'200'000 + kWindowNs);
  CHECK(out == std::vector<Edge>{{400'000, 0, 1}, {1'000'000, 1, 1}, {1'200'000, 0, 0}});
  CHECK(w.late_count() == 0);
  CHECK(w.held() == 0);
}

TEST_CASE("an edge is held until it is a whole window old", "[gpio]") {
  ReorderWindow w(kWindowNs);
  w.push({10'000'000, 0, 1});
  CHECK(release(w, 10'000'000 + kWindowNs - 1).empty());
  CHECK(w.next_due_ns() == 10'000'000 + kWindowNs);
  CHECK(times(release(w, 10'000'000 + kWindowNs)) == std::vector<std::int64_t>{10'000'000});
  CHECK_FALSE(w.next_due_ns().has_value());
}

TEST_CASE("only the edges that are due are released, later ones wait", "[gpio]") {
  ReorderWindow w(kWindowNs);
  w.push({1'000'000, 0, 1});
  w.push({8'000'000, 1, 1});
  CHECK(times(release(w, 7'000'000)) == std::vector<std::int64_t>{1'000'000});
  CHECK(w.held() == 1);
  CHECK(w.next_due_ns() == 8'000'000 + kWindowNs);
}

TEST_CASE("an edge older than one already released comes out next, at the last released time, counted late",
          "[gpio]") {
  ReorderWindow w(kWindowNs);
  w.push({20'000'000, 0, 1});
  REQUIRE(times(release(w, 25'000'000)) == std::vector<std::int64_t>{20'000'000});
  w.push({21'000'000, 0, 0});
  w.push({14'000'000, 1, 1});  // its handler was delayed by more than the window
  const auto out = release(w, 40'000'000);
  CHECK(out == std::vector<Edge>{{20'000'000, 1, 1}, {21'000'000, 0, 0}});
  CHECK(w.late_count() == 1);
  CHECK(w.max_lateness_ns() == 6'000'000);
}

TEST_CASE("equal timestamps come out in arrival order", "[gpio]") {
  ReorderWindow w(kWindowNs);
  w.push({5'000'000, 2, 1});
  w.push({5'000'000, 0, 1});
  w.push({5'000'000, 1, 1});
  const auto out = release(w, 5'000'000 + kWindowNs);
  REQUIRE(out.size() == 3);
  CHECK(out[0].input == 2);
  CHECK(out[1].input == 0);
  CHECK(out[2].input == 1);
}

TEST_CASE("at shutdown every held edge is released in order, however recent", "[gpio]") {
  ReorderWindow w(kWindowNs);
  w.push({3'000'000, 1, 1});
  w.push({2'000'000, 0, 1});
  std::vector<Edge> out;
  w.release_all(out);
  CHECK(times(out) == std::vector<std::int64_t>{2'000'000, 3'000'000});
  CHECK(w.held() == 0);
}

TEST_CASE("lines read in batches with delays shorter than the window merge into exact time order", "[gpio]") {
  std::mt19937_64 rng(GENERATE(1u, 2u, 3u, 4u));
  std::uniform_int_distribution<std::int64_t> gap_ns(1, 3'000'000);
  std::uniform_int_distribution<std::int64_t> delay_ns(0, kWindowNs - 1);
  // Four lines, each with its own increasing edges; each edge is read at its
  // time plus a handler delay, and a line's reads stay in its own order.
  struct Arrival {
    std::int64_t read_ns;
    Edge edge;
  };
  std::vector<Arrival> arrivals;
  std::vector<Edge> expected;
  for (InputId line = 0; line < 4; ++line) {
    std::int64_t t_ns = static_cast<std::int64_t>(line) * 7;  // distinct times across lines
    std::int64_t read_ns = 0;
    for (int i = 0; i < 500; ++i) {
      t_ns += gap_ns(rng) * 4;
      read_ns = std::max(read_ns, t_ns + delay_ns(rng));
      const Edge e{t_ns, line, static_cast<std::uint8_t>(i % 2 == 0)};
      arrivals.push_back({read_ns, e});
      expected.push_back(e);
    }
  }
  std::stable_sort(arrivals.begin(), arrivals.end(),
                   [](const Arrival& a, const Arrival& b) { return a.read_ns < b.read_ns; });
  std::sort(expected.begin(), expected.end(), [](const Edge& a, const Edge& b) { return a.t_ns < b.t_ns; });

  ReorderWindow w(kWindowNs);
  std::vector<Edge> out;
  for (const auto& a : arrivals) {
    w.push(a.edge);
    w.release(a.read_ns, out);
  }
  w.release_all(out);
  CHECK(out == expected);
  CHECK(w.late_count() == 0);
}

TEST_CASE("a negative window is refused", "[gpio]") {
  CHECK_THROWS_AS(ReorderWindow(-1), std::invalid_argument);
}
