// The roadspeed trace reader: spec/interfaces.md §1, every error with its
// line number, and lines split anywhere by the chunked reading.
#include <catch2/catch.hpp>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <random>
#include <utility>
#include <sstream>
#include <string>
#include <vector>

#include "drivers/trace/line_source.hpp"
#include "drivers/trace/trace_reader.hpp"

#include "trace_test_site.hpp"

using namespace roadspeed;

namespace {


std::vector<Edge> read_all(EdgeReader& reader) {
  std::vector<Edge> edges;
  while (auto e = reader.next()) edges.push_back(*e);
  return edges;
}

std::vector<Edge> read_trace(const std::string& text) {
  const Site site = test::three_input_site();
  std::istringstream in(text);
  auto reader = make_trace_reader(in, "t.csv", site);
  return read_all(*reader);
}

// The message of the InputError that reading `text` throws.
std::string trace_error(const std::string& text) {
  try {
    read_trace(text);
  } catch (const InputError& e) {
    return e.what();
  }
  return "no error";
}

const std::string kHead = "# roadspeed-trace 1\ntime_ns,input,level\n";

}  // namespace

TEST_CASE("the example trace of the spec reads as three edges", "[trace]") {
  const auto edges = read_trace(
      "# roadspeed-trace 1\n"
      "time_ns,input,level\n"
      "1764158400000000000,loop_a,1\n"
      "1764158400021300000,loop_b,1\n"
      "1764158400198000000,loop_a,0\n");
  const std::vector<Edge> expected = {{1764158400000000000, 0, 1},
                                      {1764158400021300000, 1, 1},
                                      {1764158400198000000, 0, 0}};
  CHECK(edges == expected);
}

TEST_CASE("comments are skipped before the column line and between rows", "[trace]") {
  const auto edges = read_trace(
      "# roadspeed-trace 1\n# site: test-site\n#\ntime_ns,input,level\n"
      "10,loop_a,1\n# clock note, with commas\n20,radar_i,1\n");
  CHECK(edges == std::vector<Edge>{{10, 0, 1}, {20, 2, 1}});
}

TEST_CASE("a repeated level and equal times are passed through", "[trace]") {
  const auto edges = read_trace(kHead + "5,loop_a,1\n5,loop_a,1\n5,loop_b,0\n");
  CHECK(edges == std::vector<Edge>{{5, 0, 1}, {5, 0, 1}, {5, 1, 0}});
}

TEST_CASE("a trace with no rows has no edges", "[trace]") {
  CHECK(read_trace(kHead).empty());
  CHECK(read_trace("# roadspeed-trace 1\ntime_ns,input,level").empty());
}

TEST_CASE("the last line may lack its newline", "[trace]") {
  CHECK(read_trace(kHead + "7,loop_b,1") == std::vector<Edge>{{7, 1, 1}});
}

TEST_CASE("CRLF line endings are read like LF", "[trace]") {
  const auto edges = read_trace("# roadspeed-trace 1\r\ntime_ns,input,level\r\n1,loop_a,1\r\n2,loop_a,0\r\n");
  CHECK(edges == std::vector<Edge>{{1, 0, 1}, {2, 0, 0}});
}

TEST_CASE("time_ns takes the full int64 range and leading zeros", "[trace]") {
  CHECK(read_trace(kHead + "9223372036854775807,loop_a,1\n") ==
        std::vector<Edge>{{9223372036854775807, 0, 1}});
  CHECK(read_trace(kHead + "0000000000000000000000042,loop_a,1\n") == std::vector<Edge>{{42, 0, 1}});
  CHECK(read_trace(kHead + "0,loop_a,0\n") == std::vector<Edge>{{0, 0, 0}});
}

TEST_CASE("columns added at the end by a later writer are skipped", "[trace]") {
  CHECK(read_trace("# roadspeed-trace 1\ntime_ns,input,level,note\n3,loop_a,1,x\n") ==
        std::vector<Edge>{{3, 0, 1}});
  CHECK(trace_error("# roadspeed-trace 1\ntime_ns,input,level,note\n3,loop_a,1\n") ==
        "t.csv:3: expected 4 fields (time_ns,input,level,...), got 3");
}

TEST_CASE("a bad header is an error on its line", "[trace]") {
  CHECK(trace_error("") == "t.csv:1: empty file: expected '# roadspeed-trace 1'");
  CHECK(trace_error("time_ns,input,level\n1,loop_a,1\n") ==
        "t.csv:1: missing header: the first line must be '# roadspeed-trace 1'");
  CHECK(trace_error("\n# roadspeed-trace 1\n") ==
        "t.csv:1: missing header: the first line must be '# roadspeed-trace 1'");
  CHECK(trace_error("# roadspeed-trace 2\ntime_ns,input,level\n") ==
        "t.csv:1: unsupported trace version '2' (this program reads version 1)");
  CHECK(trace_error("# roadspeed-trace 1\n") == "t.csv:2: missing column line 'time_ns,input,level'");
  CHECK(trace_error("# roadspeed-trace 1\n# a comment\n") ==
        "t.csv:3: missing column line 'time_ns,input,level'");
  CHECK(trace_error("# roadspeed-trace 1\n# note\ntime,input,level\n") ==
        "t.csv:3: expected column line 'time_ns,input,level', got 'time,input,level'");
  CHECK(trace_error("# roadspeed-trace 1\n1,loop_a,1\n") ==
        "t.csv:2: expected column line 'time_ns,input,level', got '1,loop_a,1'");
}

TEST_CASE("a row with the wrong number of fields is an error on its line", "[trace]") {
  CHECK(trace_error(kHead + "1,loop_a,1\n2,loop_a\n") ==
        "t.csv:4: expected 3 fields (time_ns,input,level), got 2");
  CHECK(trace_error(kHead + "1,loop_a,1,\n") == "t.csv:3: expected 3 fields (time_ns,input,level), got 4");
  CHECK(trace_error(kHead + "garbage\n") == "t.csv:3: expected 3 fields (time_ns,input,level), got 1");
}

TEST_CASE("a time_ns that is not a non-negative int64 is an error on its line", "[trace]") {
  CHECK(trace_error(kHead + "12a,loop_a,1\n") == "t.csv:3: time_ns '12a' is not an integer");
  CHECK(trace_error(kHead + "1.5,loop_a,1\n") == "t.csv:3: time_ns '1.5' is not an integer");
  CHECK(trace_error(kHead + "+5,loop_a,1\n") == "t.csv:3: time_ns '+5' is not an integer");
  CHECK(trace_error(kHead + " 5,loop_a,1\n") == "t.csv:3: time_ns ' 5' is not an integer");
  CHECK(trace_error(kHead + ",loop_a,1\n") == "t.csv:3: time_ns is empty");
  CHECK(trace_error(kHead + "-5,loop_a,1\n") == "t.csv:3: time_ns '-5' is negative");
  CHECK(trace_error(kHead + "1,loop_a,1\n9223372036854775808,loop_a,1\n") ==
        "t.csv:4: time_ns '9223372036854775808' is out of range (the largest is 9223372036854775807)");
  CHECK(trace_error(kHead + "99999999999999999999999,loop_a,1\n") ==
        "t.csv:3: time_ns '99999999999999999999999' is out of range (the largest is "
        "9223372036854775807)");
}

TEST_CASE("an input the site does not have is an error naming it", "[trace]") {
  CHECK(trace_error(kHead + "1,loop_a,1\n2,loop_c,1\n") ==
        "t.csv:4: unknown input 'loop_c' (the site's inputs are: loop_a, loop_b, radar_i)");
  CHECK(trace_error(kHead + "1,,1\n") ==
        "t.csv:3: unknown input '' (the site's inputs are: loop_a, loop_b, radar_i)");
  CHECK(trace_error(kHead + "1,LOOP_A,1\n") ==
        "t.csv:3: unknown input 'LOOP_A' (the site's inputs are: loop_a, loop_b, radar_i)");
}

TEST_CASE("input names of any length resolve, however alike", "[trace]") {
  Site site;
  const std::vector<std::string> names = {"a", "loop_north_a", "loop_north_b", "loop_north",
                                          "loop_nor", std::string(31, 'x'), std::string(40, 'x'),
                                          std::string(40, 'x') + "y"};
  for (const auto& name : names) site.inputs.push_back({name, "gpiochip0", 0, false, Bias::as_is});
  std::string text = kHead;
  std::vector<Edge> expected;
  for (int round = 0; round < 3; ++round) {
    for (std::size_t i = 0; i < names.size(); ++i) {
      const std::int64_t t = 1764158400000000000 + round * 100 + static_cast<std::int64_t>(i);
      text += std::to_string(t) + "," + names[i] + ",1\n";
      expected.push_back({t, static_cast<InputId>(i), 1});
    }
  }
  std::istringstream in(text);
  auto reader = make_trace_reader(in, "t.csv", site);
  CHECK(read_all(*reader) == expected);
  std::istringstream unknown(kHead + "1764158400000000000,loop_north_c,1\n" + std::string(64, '#') + "\n");
  CHECK_THROWS_WITH(read_all(*make_trace_reader(unknown, "t.csv", site)),
                    Catch::StartsWith("t.csv:3: unknown input 'loop_north_c'"));
}

TEST_CASE("a site without inputs knows no input, not even an empty name", "[trace]") {
  const Site site;
  std::istringstream in(kHead + "1,,1\n");
  CHECK_THROWS_WITH(read_all(*make_trace_reader(in, "t.csv", site)),
                    "t.csv:3: unknown input '' (the site's inputs are: none)");
}

TEST_CASE("a level other than 0 or 1 is an error on its line", "[trace]") {
  CHECK(trace_error(kHead + "1,loop_a,2\n") == "t.csv:3: level '2' is not 0 or 1");
  CHECK(trace_error(kHead + "1,loop_a,\n") == "t.csv:3: level '' is not 0 or 1");
  CHECK(trace_error(kHead + "1,loop_a,01\n") == "t.csv:3: level '01' is not 0 or 1");
  CHECK(trace_error(kHead + "1,loop_a,1 \n") == "t.csv:3: level '1 ' is not 0 or 1");
}

TEST_CASE("time going backwards is an error saying by how much", "[trace]") {
  CHECK(trace_error(kHead + "1764158400000001200,loop_a,1\n# fine\n1764158400000000000,loop_b,1\n") ==
        "t.csv:5: time goes backwards by 1200 ns (previous 1764158400000001200)");
}

TEST_CASE("a blank line is an error, a final newline is not", "[trace]") {
  CHECK(trace_error(kHead + "1,loop_a,1\n\n2,loop_a,0\n") == "t.csv:4: blank line");
  CHECK(trace_error(kHead + "1,loop_a,1\n\n") == "t.csv:4: blank line");
  CHECK(trace_error(kHead + "1,loop_a,1\r\n\r\n") == "t.csv:4: blank line");
}

TEST_CASE("a line longer than any valid row is an error, not a memory hog", "[trace]") {
  const std::string huge(trace_detail::kMaxLineBytes + 10, '#');
  CHECK(trace_error(kHead + "1,loop_a,1\n" + huge + "\n") ==
        "t.csv:4: line is longer than 65536 bytes");
}

TEST_CASE("control characters in an error message are replaced", "[trace]") {
  CHECK(trace_error(kHead + "1,lo\top\r,1\n") ==
        "t.csv:3: unknown input 'lo?op?' (the site's inputs are: loop_a, loop_b, radar_i)");
}

TEST_CASE("the format is detected from the first line", "[trace]") {
  const Site site = test::three_input_site();
  GpiomonOptions options;
  options.first_event_epoch_ns = 1'000'000'000;
  SECTION("a trace") {
    std::istringstream in(kHead + "1,loop_b,1\n");
    CHECK(read_all(*make_edge_reader(in, "x", site, options)) == std::vector<Edge>{{1, 1, 1}});
  }
  SECTION("a gpiomon log") {
    std::istringstream in("event:  RISING EDGE offset: 27 timestamp: [       5.000000000]\n");
    CHECK(read_all(*make_edge_reader(in, "x", site, options)) ==
          std::vector<Edge>{{1'000'000'000, 1, 0}});
  }
  SECTION("a trace of another version goes to the trace reader, which names the version") {
    std::istringstream in("# roadspeed-trace 7\n");
    CHECK_THROWS_WITH(make_edge_reader(in, "x", site, options),
                      "x:1: unsupported trace version '7' (this program reads version 1)");
  }
  SECTION("anything else") {
    for (const char* text : {"", "\n", "time_ns,input,level\n", "hello\nworld", "# a comment\n"}) {
      std::istringstream in(text);
      CHECK_THROWS_WITH(make_edge_reader(in, "x", site, options), "x:1: not a roadspeed trace or gpiomon log");
    }
  }
}

TEST_CASE("the line source gives the same lines whatever the chunk size", "[trace]") {
  const std::string text = "ab\r\n\ncdef\nx\r\n\r\nlast-without-newline";
  const std::vector<std::string> expected = {"ab", "", "cdef", "x", "", "last-without-newline"};
  for (std::size_t chunk = 1; chunk <= text.size() + 1; ++chunk) {
    std::istringstream in(text);
    trace_detail::LineSource lines(in, "x", chunk);
    CHECK(lines.peek_first_line() == "ab");
    std::vector<std::string> got;
    while (auto line = lines.next()) got.emplace_back(*line);
    CHECK(got == expected);
    CHECK(lines.line_number() == 6);
  }
}

TEST_CASE("rows split across chunks read the same, errors keep their line numbers", "[trace]") {
  const Site site = test::three_input_site();
  const std::string good = kHead + "# c\n1764158400000000000,loop_a,1\r\n1764158400021300000,radar_i,0\n";
  for (std::size_t chunk : {1, 2, 3, 5, 7, 13, 31}) {
    std::istringstream in(good);
    auto reader = trace_detail::make_trace_reader(trace_detail::LineSource(in, "t.csv", chunk), site);
    CHECK(read_all(*reader) == std::vector<Edge>{{1764158400000000000, 0, 1}, {1764158400021300000, 2, 0}});
    std::istringstream bad(good + "1764158400021300000,loop_b,5\n");
    auto bad_reader = trace_detail::make_trace_reader(trace_detail::LineSource(bad, "t.csv", chunk), site);
    CHECK_THROWS_WITH(read_all(*bad_reader), "t.csv:6: level '5' is not 0 or 1");
  }
}

TEST_CASE("rows straddling the 1 MiB read boundary are read whole", "[trace]") {
  // Rows of varying length, so that several chunk ends fall inside a row.
  std::string text = kHead;
  std::vector<Edge> expected;
  const char* names[] = {"loop_a", "loop_b", "radar_i"};
  for (std::int64_t t = 1; text.size() < 3 * trace_detail::kDefaultChunkBytes + 100; t += 7) {
    const auto id = static_cast<InputId>(t % 3);
    const auto level = static_cast<std::uint8_t>((t / 3) % 2);
    text += std::to_string(t * 1'000'003) + "," + names[id] + "," + char('0' + level) + "\n";
    expected.push_back({t * 1'000'003, id, level});
  }
  CHECK(read_trace(text) == expected);
}

namespace {

// Edges and the error, if any, of reading `text` through chunks of `chunk`
// bytes (1: every row takes the checked path; the default: most rows take
// the fast path).
std::pair<std::vector<Edge>, std::string> outcome(const std::string& text, const Site& site,
                                                  std::size_t chunk) {
  std::vector<Edge> edges;
  std::istringstream in(text);
  try {
    auto reader = trace_detail::make_trace_reader(trace_detail::LineSource(in, "m.csv", chunk), site);
    while (auto e = reader->next()) edges.push_back(*e);
  } catch (const InputError& e) {
    return {edges, e.what()};
  }
  return {edges, ""};
}

}  // namespace

TEST_CASE("the fast path and the checked path agree on damaged traces", "[trace]") {
  Site site = test::three_input_site();
  site.inputs.push_back({"a_rather_long_input_name_29chr", "gpiochip1", 3, false, Bias::as_is});
  site.inputs.push_back({"loop_a_2", "gpiochip1", 4, false, Bias::as_is});  // shares 6 bytes with loop_a
  const char* names[] = {"loop_a", "loop_b", "radar_i", "a_rather_long_input_name_29chr", "loop_a_2"};
  const std::string alphabet = "0123456789,\n\r#-_abloop";
  std::mt19937_64 rng(7);  // fixed: a failure must reproduce
  for (int round = 0; round < 300; ++round) {
    std::string text = kHead;
    std::int64_t t = static_cast<std::int64_t>(rng() % 4'000'000'000'000'000'000ull);
    for (int row = 0; row < 40; ++row) {
      t += static_cast<std::int64_t>(rng() % 1000);
      text += std::to_string(t) + "," + names[rng() % 5] + "," + char('0' + rng() % 2) +
              (rng() % 4 == 0 ? "\r\n" : "\n");
    }
    for (int damage = static_cast<int>(rng() % 3); damage > 0; --damage) {
      const std::size_t at = kHead.size() + rng() % (text.size() - kHead.size());
      const char c = alphabet[rng() % alphabet.size()];
      switch (rng() % 3) {
        case 0: text[at] = c; break;
        case 1: text.insert(at, 1, c); break;
        default: text.erase(at, 1);
      }
    }
    INFO(text);
    CHECK(outcome(text, site, 1) == outcome(text, site, trace_detail::kDefaultChunkBytes));
  }
}

// Not run by default: `test_trace "[.bench]"` with ROADSPEED_BENCH_TRACE set
// to a trace over the inputs above (for comparing with `wc -l`).
TEST_CASE("reading a large trace takes a few nanoseconds per edge", "[.bench][trace]") {
  const char* path = std::getenv("ROADSPEED_BENCH_TRACE");
  if (path == nullptr) {
    WARN("set ROADSPEED_BENCH_TRACE to a trace file");
    return;
  }
  const Site site = test::three_input_site();
  std::ifstream in(path, std::ios::binary);
  REQUIRE(in);
  const auto start = std::chrono::steady_clock::now();
  auto reader = make_trace_reader(in, path, site);
  std::size_t n = 0;
  std::int64_t checksum = 0;
  while (auto e = reader->next()) {
    ++n;
    checksum += e->level;
  }
  const std::chrono::duration<double, std::nano> took = std::chrono::steady_clock::now() - start;
  WARN(n << " edges (" << checksum << " active) in " << took.count() / 1e9 << " s: "
         << took.count() / double(n) << " ns/edge");
}
