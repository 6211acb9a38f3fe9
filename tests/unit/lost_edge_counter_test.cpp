// Lost-edge evidence: impossible level sequences on one line.
#include <catch2/catch.hpp>

#include "drivers/gpio/lost_edge_counter.hpp"

using namespace roadspeed;

TEST_CASE("a line that rises twice without falling counts one lost edge", "[gpio]") {
  LostEdgeCounter c(2);
  CHECK_FALSE(c.observe({1, 0, 1}));
  CHECK(c.observe({2, 0, 1}));
  CHECK(c.lost(0) == 1);
  CHECK(c.level(0) == 1);
}

TEST_CASE("alternating levels count no lost edge", "[gpio]") {
  LostEdgeCounter c(1);
  for (std::int64_t t = 0; t < 10; ++t) CHECK_FALSE(c.observe({t, 0, static_cast<std::uint8_t>(t % 2 == 0)}));
  CHECK(c.lost(0) == 0);
}

TEST_CASE("every input starts inactive, so a first falling edge is evidence of a loss", "[gpio]") {
  LostEdgeCounter c(1);
  CHECK(c.level(0) == 0);
  CHECK(c.observe({5, 0, 0}));
  CHECK(c.lost(0) == 1);
}

TEST_CASE("lost edges are counted per input", "[gpio]") {
  LostEdgeCounter c(2);
  c.observe({1, 0, 1});
  c.observe({2, 1, 1});
  c.observe({3, 1, 1});
  c.observe({4, 1, 1});
  CHECK(c.lost(0) == 0);
  CHECK(c.lost(1) == 2);
}
