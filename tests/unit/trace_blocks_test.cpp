// The trace reader taken in blocks (EdgeReader::read), as analyze takes it,
// where rows go through the reader's loop of fast rows: the same edges, and
// the same errors at the same line numbers, as taken one by one (next())
// and as the checked path alone gives them (1-byte chunks).
#include <catch2/catch.hpp>

#include <cstdint>
#include <functional>
#include <memory>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "drivers/trace/line_source.hpp"
#include "drivers/trace/trace_reader.hpp"

#include "trace_test_site.hpp"

using namespace roadspeed;

namespace {

const std::string kHead = "# roadspeed-trace 1\ntime_ns,input,level\n";

struct Outcome {
  std::vector<Edge> edges;
  std::string error;  // empty: read to the end
  bool operator==(const Outcome&) const = default;
};

// Every edge of `text` read through `chunk`-byte reads, asked for `block`
// at a time (0: one by one with next()).
Outcome read_text(const std::string& text, const Site& site, std::size_t chunk, std::size_t block) {
  Outcome out;
  std::istringstream in(text);
  try {
    auto reader = trace_detail::make_edge_reader(trace_detail::LineSource(in, "b.csv", chunk), site, {});
    if (block == 0) {
      while (auto e = reader->next()) out.edges.push_back(*e);
    } else {
      std::vector<Edge> buf(block);
      while (const std::size_t n = reader->read(buf)) out.edges.insert(out.edges.end(), buf.begin(), buf.begin() + n);
    }
  } catch (const InputError& e) {
    out.error = e.what();
  }
  return out;
}

// Rows with every kind of damage the reader reports, at random places.
std::string damaged_trace(std::mt19937_64& rng, int rows) {
  const char* names[] = {"loop_a", "loop_b", "radar_i", "a_rather_long_input_name_29chr", "loop_a_2"};
  std::string text = kHead + "# a comment\n";
  std::int64_t t = 1'764'158'400'000'000'000 + static_cast<std::int64_t>(rng() % 1'000'000'000'000);
  for (int row = 0; row < rows; ++row) {
    t += static_cast<std::int64_t>(rng() % 100'000'000);
    std::string line = std::to_string(t) + "," + names[rng() % 5] + "," + char('0' + rng() % 2);
    switch (rng() % 400) {
      case 0: line = std::to_string(t - 5) + ",loop_a,1"; break;    // time goes backwards
      case 1: line = std::to_string(t) + ",loop_c,1"; break;        // unknown input
      case 2: line = std::to_string(t) + ",loop_a,2"; break;        // bad level
      case 3: line = std::to_string(t) + ",loop_a"; break;          // a field missing
      case 4: line = "0" + std::to_string(t) + ",loop_b,0"; break;  // leading zero: valid, checked path
      case 5: line = "# " + std::to_string(t); break;               // comment
      case 6: line = std::to_string(t) + "x,loop_a,1"; break;       // not a number
      case 7: line = ""; break;                                     // blank line
      case 8: line = "99999999999999999999,loop_a,1"; break;        // out of range
      case 9: line = "9223372036854775808,loop_a,1"; break;         // int64 max + 1: 19 digits
      case 10: line = std::string(70'000, 'z'); break;              // longer than any line may be
      default: break;
    }
    text += line + (rng() % 5 == 0 ? "\r\n" : "\n");
  }
  if (rng() % 2) text.pop_back();  // no final newline
  return text;
}

Site blocks_test_site() {
  Site site = test::three_input_site();
  site.inputs.push_back({"a_rather_long_input_name_29chr", "gpiochip1", 3, false, Bias::as_is});
  site.inputs.push_back({"loop_a_2", "gpiochip1", 4, false, Bias::as_is});  // shares 6 bytes with loop_a
  return site;
}

}  // namespace

TEST_CASE("a trace read in blocks gives next()'s edges and its errors at the same lines", "[trace]") {
  const Site site = blocks_test_site();
  std::mt19937_64 rng(17);  // fixed: a failure must reproduce
  for (int round = 0; round < 40; ++round) {
    // Up to a few hundred kB: past the 4 KiB first read and several doublings.
    const std::string text = damaged_trace(rng, static_cast<int>(rng() % 12'000));
    const Outcome checked = read_text(text, site, 1, 0);
    CAPTURE(round, text.size(), checked.error);
    for (std::size_t block : {0, 1, 3, 4096}) {
      CAPTURE(block);
      CHECK(read_text(text, site, trace_detail::kDefaultChunkBytes, block) == checked);
    }
  }
}

TEST_CASE("a clean trace read in blocks is read whole across many reads, its lines numbered", "[trace]") {
  const Site site = blocks_test_site();
  std::string text = kHead;
  std::vector<Edge> expected;
  const char* names[] = {"loop_a", "loop_b", "radar_i", "a_rather_long_input_name_29chr", "loop_a_2"};
  std::int64_t t = 1'764'158'400'000'000'000;
  for (int row = 0; text.size() < 3 * trace_detail::kDefaultChunkBytes + 1000; ++row) {
    t += 1 + row % 1'000'003;
    const auto id = static_cast<InputId>(row % 5);
    const auto level = static_cast<std::uint8_t>(row / 5 % 2);
    text += std::to_string(t) + "," + names[id] + "," + char('0' + level) + "\n";
    expected.push_back({t, id, level});
  }
  CHECK(read_text(text, site, trace_detail::kDefaultChunkBytes, 4096) == Outcome{expected, ""});
  const Outcome bad = read_text(text + "1,loop_a,1\n", site, trace_detail::kDefaultChunkBytes, 4096);
  CHECK(bad.edges == expected);  // every edge before the error
  CHECK(bad.error.starts_with("b.csv:" + std::to_string(expected.size() + 3) + ": time goes backwards by "));
}
