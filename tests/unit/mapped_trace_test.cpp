// A trace read from a mapped file (drivers/trace/mapped_file.hpp) against
// the same bytes read as a stream: the same edges, the same errors at the
// same line numbers, whatever the rows, the block size asked for, and a
// file shrinking under the mapping.
#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <random>
#include <span>
#include <sstream>
#include <string>
#include <vector>

#include "drivers/trace/line_source.hpp"
#include "drivers/trace/mapped_file.hpp"
#include "drivers/trace/trace_reader.hpp"

#include "trace_test_site.hpp"

using namespace roadspeed;
namespace fs = std::filesystem;

namespace {

const std::string kHead = "# roadspeed-trace 1\ntime_ns,input,level\n";

// A file under the temp directory, removed at the end of the test.
struct TempFile {
  fs::path path;
  explicit TempFile(const std::string& name)
      : path(fs::temp_directory_path() / ("roadspeed-mapped-" + std::to_string(::getpid()) + "-" + name)) {}
  ~TempFile() {
    std::error_code ignored;
    fs::remove(path, ignored);
  }
  void write(const std::string& text) const {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
  }
};

struct Outcome {
  std::vector<Edge> edges;
  std::string error;  // empty: read to the end
  bool operator==(const Outcome&) const = default;
};

// Every edge, asked for `block` at a time (0: one by one with next()).
Outcome drain(const std::function<std::unique_ptr<EdgeReader>()>& make, std::size_t block) {
  Outcome out;
  try {
    auto reader = make();
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

Outcome read_stream(const std::string& text, const std::string& name, const Site& site, std::size_t chunk) {
  std::istringstream in(text);
  return drain([&] { return trace_detail::make_edge_reader(trace_detail::LineSource(in, name, chunk), site, {}); }, 0);
}

Outcome read_mapped(const std::string& path, const Site& site, std::size_t block) {
  return drain(
      [&] {
        auto reader = make_mapped_edge_reader(path, site);
        if (!reader) throw std::logic_error("not mapped");
        return reader;
      },
      block);
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
      case 0: line = std::to_string(t - 5) + ",loop_a,1"; break;      // time goes backwards
      case 1: line = std::to_string(t) + ",loop_c,1"; break;          // unknown input
      case 2: line = std::to_string(t) + ",loop_a,2"; break;          // bad level
      case 3: line = std::to_string(t) + ",loop_a"; break;            // a field missing
      case 4: line = "0" + std::to_string(t) + ",loop_b,0"; break;    // leading zero: valid, checked path
      case 5: line = "# " + std::to_string(t); break;                 // comment
      case 6: line = std::to_string(t) + "x,loop_a,1"; break;         // not a number
      case 7: line = ""; break;                                       // blank line
      case 8: line = "99999999999999999999,loop_a,1"; break;          // out of range
      case 9: line = std::string(70'000, 'z'); break;                 // longer than any line may be
      default: break;
    }
    text += line + (rng() % 5 == 0 ? "\r\n" : "\n");
  }
  if (rng() % 2) text.pop_back();  // no final newline
  return text;
}

Site mapped_test_site() {
  Site site = test::three_input_site();
  site.inputs.push_back({"a_rather_long_input_name_29chr", "gpiochip1", 3, false, Bias::as_is});
  site.inputs.push_back({"loop_a_2", "gpiochip1", 4, false, Bias::as_is});  // shares 6 bytes with loop_a
  return site;
}

}  // namespace

TEST_CASE("a mapped trace gives the stream's edges and its errors at the same lines", "[trace]") {
  const Site site = mapped_test_site();
  const TempFile file("damaged.csv");
  std::mt19937_64 rng(17);  // fixed: a failure must reproduce
  for (int round = 0; round < 40; ++round) {
    // Up to a few hundred kB: past the 4 KiB first window and several doublings.
    const std::string text = damaged_trace(rng, static_cast<int>(rng() % 12'000));
    file.write(text);
    const Outcome stream = read_stream(text, file.path.string(), site, trace_detail::kDefaultChunkBytes);
    CAPTURE(round, text.size(), stream.error);
    CHECK(read_stream(text, file.path.string(), site, 1) == stream);
    for (std::size_t block : {0, 1, 3, 4096}) {
      CAPTURE(block);
      CHECK(read_mapped(file.path.string(), site, block) == stream);
    }
  }
}

TEST_CASE("a clean mapped trace is read whole across many windows, its lines numbered as the stream's", "[trace]") {
  const Site site = mapped_test_site();
  const TempFile file("clean.csv");
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
  const std::string bad = text + "1,loop_a,1\n";  // goes backwards on the line after the last row
  file.write(text);
  CHECK(read_mapped(file.path.string(), site, 4096) == Outcome{expected, ""});
  CHECK(read_mapped(file.path.string(), site, 0) == Outcome{expected, ""});
  file.write(bad);
  const Outcome got = read_mapped(file.path.string(), site, 4096);
  CHECK(got.edges == expected);
  CHECK(got.error.starts_with(file.path.string() + ":" + std::to_string(expected.size() + 3) +
                              ": time goes backwards by "));
  CHECK(got == read_stream(bad, file.path.string(), site, trace_detail::kDefaultChunkBytes));
}

TEST_CASE("a mapped gpiomon log and a file that is neither format read as their streams do", "[trace]") {
  const Site site = mapped_test_site();
  const TempFile file("other.log");
  GpiomonOptions options;
  options.first_event_epoch_ns = 1764158400'000000000;
  options.chip = "gpiochip0";
  const std::string log = "event:  RISING EDGE offset: 17 timestamp: [      12.345678901]\n"
                          "event: FALLING EDGE offset: 17 timestamp: [      12.445678901]\n";
  file.write(log);
  auto reader = make_mapped_edge_reader(file.path.string(), site, options);
  REQUIRE(reader);
  std::istringstream in(log);
  auto stream = make_edge_reader(in, file.path.string(), site, options);
  for (auto e = stream->next(); e; e = stream->next()) CHECK(reader->next() == e);
  CHECK_FALSE(reader->next());
  file.write("hello\n");
  CHECK_THROWS_WITH(make_mapped_edge_reader(file.path.string(), site),
                    file.path.string() + ":1: not a roadspeed trace or gpiomon log");
}

TEST_CASE("only a non-empty regular file is mapped; the rest is left to the stream", "[trace]") {
  const TempFile empty("empty.csv");
  empty.write("");
  CHECK_FALSE(trace_detail::MappedFile::map(empty.path.string()));
  CHECK_FALSE(trace_detail::MappedFile::map(empty.path.string() + ".absent"));
  CHECK_FALSE(trace_detail::MappedFile::map(fs::temp_directory_path().string()));
  const TempFile fifo("fifo");
  REQUIRE(::mkfifo(fifo.path.c_str(), 0600) == 0);
  CHECK_FALSE(trace_detail::MappedFile::map(fifo.path.string()));  // and does not wait for a writer
  const TempFile one("one.csv");
  one.write("x");
  const auto mapped = trace_detail::MappedFile::map(one.path.string());
  REQUIRE(mapped);
  CHECK(std::string_view(mapped->data(), mapped->size()) == "x");
}

TEST_CASE("a mapped file that shrinks while it is read ends where it now ends, as a stream would", "[trace]") {
  const Site site = mapped_test_site();
  const TempFile file("shrinking.csv");
  std::string text = kHead;
  std::int64_t t = 1'764'158'400'000'000'000;
  while (text.size() < 2 * trace_detail::kDefaultChunkBytes) {
    t += 12'345;
    text += std::to_string(t) + ",loop_a,1\n";
  }
  file.write(text);
  auto reader = make_mapped_edge_reader(file.path.string(), site);  // maps the whole file, reads 4 KiB
  REQUIRE(reader);
  std::vector<Edge> first(10);
  REQUIRE(reader->read(first) == 10);
  // Cut in the middle of a row, far past what has been looked at.
  const std::size_t cut = text.size() / 2 + 7;
  fs::resize_file(file.path, cut);
  Outcome got;
  got.edges = first;
  try {
    std::vector<Edge> buf(1000);
    while (const std::size_t n = reader->read(buf)) got.edges.insert(got.edges.end(), buf.begin(), buf.begin() + n);
  } catch (const InputError& e) {
    got.error = e.what();
  }
  // Exactly the edges (and the error, if the cut row is malformed) of the
  // shortened file: no fault, no bytes from beyond the new end.
  const Outcome expected = read_stream(text.substr(0, cut), file.path.string(), site, trace_detail::kDefaultChunkBytes);
  CHECK(got == expected);
  CHECK(got.edges.size() > 10);
}

TEST_CASE("the line source walks a mapped file as it reads a stream, at any chunk size", "[trace]") {
  const TempFile file("lines.txt");
  const std::string text = "ab\r\n\ncdef\nx\r\n\r\nlast-without-newline";
  file.write(text);
  const std::vector<std::string> expected = {"ab", "", "cdef", "x", "", "last-without-newline"};
  for (std::size_t chunk = 1; chunk <= text.size() + 1; ++chunk) {
    auto mapped = trace_detail::MappedFile::map(file.path.string());
    REQUIRE(mapped);
    trace_detail::LineSource lines(std::move(*mapped), "x", chunk);
    CHECK(lines.peek_first_line() == "ab");
    std::vector<std::string> got;
    while (auto line = lines.next()) got.emplace_back(*line);
    CHECK(got == expected);
    CHECK(lines.line_number() == 6);
  }
}
