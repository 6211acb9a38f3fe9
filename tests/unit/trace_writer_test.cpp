// The trace writer: exact output, refusal of edges the reader would reject,
// and a randomized round trip through the reader.
#include <catch2/catch.hpp>

#include <limits>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "drivers/trace/trace_reader.hpp"
#include "drivers/trace/trace_writer.hpp"

#include "trace_test_site.hpp"

using namespace roadspeed;

namespace {


}  // namespace

TEST_CASE("the writer writes the version line, comments, the column line and rows", "[trace]") {
  const Site site = test::three_input_site();
  std::ostringstream out;
  {
    TraceWriter writer(out, site, {"site: test-site", "clock step: +1.234 s"});
    writer.write({1764158400000000000, 0, 1});
    writer.write({1764158400021300000, 1, 1});
    writer.write({1764158400021300000, 2, 0});
  }
  CHECK(out.str() ==
        "# roadspeed-trace 1\n"
        "# site: test-site\n"
        "# clock step: +1.234 s\n"
        "time_ns,input,level\n"
        "1764158400000000000,loop_a,1\n"
        "1764158400021300000,loop_b,1\n"
        "1764158400021300000,radar_i,0\n");
}

TEST_CASE("the writer hands rows to the stream on flush", "[trace]") {
  const Site site = test::three_input_site();
  std::ostringstream out;
  TraceWriter writer(out, site);
  writer.write({0, 2, 1});
  writer.flush();
  CHECK(out.str() == "# roadspeed-trace 1\ntime_ns,input,level\n0,radar_i,1\n");
}

TEST_CASE("the writer refuses edges the reader would reject", "[trace]") {
  const Site site = test::three_input_site();
  std::ostringstream out;
  TraceWriter writer(out, site);
  writer.write({100, 0, 1});
  CHECK_THROWS_AS(writer.write({101, 3, 1}), std::invalid_argument);
  CHECK_THROWS_AS(writer.write({101, 0, 2}), std::invalid_argument);
  CHECK_THROWS_AS(writer.write({99, 0, 0}), std::invalid_argument);
  CHECK_THROWS_AS(TraceWriter(out, site, {"two\nlines"}), std::invalid_argument);
  writer.write({100, 0, 0});
}

TEST_CASE("the writer refuses negative times", "[trace]") {
  const Site site = test::three_input_site();
  std::ostringstream out;
  TraceWriter writer(out, site);
  CHECK_THROWS_AS(writer.write({-1, 0, 1}), std::invalid_argument);
}

TEST_CASE("random edges written and read back are the same edges", "[trace]") {
  const Site site = test::three_input_site();
  std::mt19937_64 rng(20251126);  // fixed: a failure must reproduce
  std::vector<Edge> edges;
  std::int64_t t = 0;
  // Enough rows to pass through the writer's buffer many times.
  for (int i = 0; i < 50'000; ++i) {
    const std::uint64_t r = rng();
    // Steps from 0 (equal times) to about 2^40 ns; sometimes huge jumps.
    t += (r % 8 == 0) ? 0 : static_cast<std::int64_t>((r >> 8) % (r % 5 == 0 ? 1ull << 40 : 1ull << 20));
    edges.push_back({t, static_cast<InputId>((r >> 3) % 3), static_cast<std::uint8_t>((r >> 6) & 1)});
  }
  edges.push_back({std::numeric_limits<std::int64_t>::max(), 1, 1});
  std::ostringstream out;
  {
    TraceWriter writer(out, site, {"round trip"});
    for (const auto& e : edges) writer.write(e);
  }
  std::istringstream in(out.str());
  auto reader = make_trace_reader(in, "rt.csv", site);
  std::vector<Edge> back;
  while (auto e = reader->next()) back.push_back(*e);
  CHECK(back == edges);
}
