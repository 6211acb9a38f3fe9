#include <catch2/catch.hpp>

#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "drivers/trace/read_ahead_reader.hpp"

using namespace roadspeed;

namespace {

Site one_input_site() {
  Site s;
  s.id = std::string("s");  // not = "s": GCC 12 -O3 -Wrestrict false positive
  s.inputs = {Input{"loop_a", "gpiochip0", 1, false, Bias::as_is}};
  return s;
}

std::string trace_of(int rows) {
  std::string t = "# roadspeed-trace 1\ntime_ns,input,level\n";
  for (int i = 0; i < rows; ++i) t += std::to_string(1000 + i) + ",loop_a," + std::to_string(i % 2) + "\n";
  return t;
}

// A trace reader over `in`, read ahead on a thread of its own or not.
std::unique_ptr<EdgeReader> reader_over(std::istream& in, const Site& site, bool ahead) {
  auto reader = make_trace_reader(in, "t.csv", site);
  return ahead ? make_read_ahead_reader(std::move(reader)) : std::move(reader);
}

// The edges of trace_of(n), in order.
void check_edges_of_trace(const std::vector<Edge>& edges, std::size_t n) {
  REQUIRE(edges.size() == n);
  for (std::size_t i = 0; i < edges.size(); ++i)
    REQUIRE(edges[i] == Edge{static_cast<std::int64_t>(1000 + i), 0, static_cast<std::uint8_t>(i % 2)});
}

}  // namespace

TEST_CASE("reading ahead yields exactly the edges of the wrapped reader, across many batches", "[trace]") {
  const Site site = one_input_site();
  const std::string text = trace_of(50'000);
  std::istringstream direct_in(text), ahead_in(text);
  auto direct = make_trace_reader(direct_in, "t.csv", site);
  auto ahead = make_read_ahead_reader(make_trace_reader(ahead_in, "t.csv", site));
  std::size_t n = 0;
  for (;;) {
    auto a = direct->next();
    auto b = ahead->next();
    REQUIRE(a.has_value() == b.has_value());
    if (!a) break;
    REQUIRE(*a == *b);
    ++n;
  }
  CHECK(n == 50'000);
}

TEST_CASE("reading ahead raises the wrapped reader's error after the edges before it", "[trace]") {
  const Site site = one_input_site();
  std::string text = trace_of(20'000) + "5,loop_a,1\n";  // time goes backwards on line 20003
  std::istringstream in(text);
  auto ahead = make_read_ahead_reader(make_trace_reader(in, "t.csv", site));
  std::size_t n = 0;
  try {
    while (ahead->next()) ++n;
    FAIL("no error");
  } catch (const InputError& e) {
    CHECK(std::string(e.what()).rfind("t.csv:20003:", 0) == 0);
  }
  CHECK(n == 20'000);
}

TEST_CASE("a read-ahead reader dropped early stops its thread cleanly", "[trace]") {
  const Site site = one_input_site();
  std::istringstream in(trace_of(100'000));
  auto ahead = make_read_ahead_reader(make_trace_reader(in, "t.csv", site));
  CHECK(ahead->next());
  ahead.reset();  // must not hang or touch freed memory
}

namespace {

// Reads everything by read(span) in chunks of `chunk`, stopping at an error.
std::vector<Edge> read_in_chunks(EdgeReader& r, std::size_t chunk, std::string* error) {
  std::vector<Edge> all, buf(chunk);
  try {
    while (const std::size_t n = r.read(buf)) {
      REQUIRE(n <= chunk);
      all.insert(all.end(), buf.begin(), buf.begin() + static_cast<std::ptrdiff_t>(n));
    }
  } catch (const InputError& e) {
    *error = e.what();
  }
  return all;
}

}  // namespace

TEST_CASE("reading edges in bulk gives the same edges, and an error only after the edges before it", "[trace]") {
  const Site site = one_input_site();
  const std::string good = trace_of(30'000);
  const std::string bad = trace_of(20'000) + "5,loop_a,1\n";  // time goes backwards on line 20003
  for (std::size_t chunk : {std::size_t{1}, std::size_t{7}, std::size_t{4096}, std::size_t{100'000}}) {
    for (bool ahead : {false, true}) {
      CAPTURE(chunk, ahead);
      std::istringstream good_in(good), bad_in(bad);
      auto good_reader = reader_over(good_in, site, ahead);
      auto bad_reader = reader_over(bad_in, site, ahead);
      std::string error;
      const auto edges = read_in_chunks(*good_reader, chunk, &error);
      CHECK(error.empty());
      check_edges_of_trace(edges, 30'000);
      CHECK(read_in_chunks(*bad_reader, chunk, &error).size() == 20'000);
      CHECK(error.rfind("t.csv:20003: time goes backwards", 0) == 0);
    }
  }
}

TEST_CASE("lent batches give the same edges, mixed with single edges, and an error only after the edges before it",
          "[trace]") {
  const Site site = one_input_site();
  const std::string good = trace_of(30'000);
  const std::string bad = trace_of(20'000) + "5,loop_a,1\n";  // time goes backwards on line 20003
  for (bool ahead : {false, true}) {
    CAPTURE(ahead);
    std::istringstream good_in(good), bad_in(bad);
    auto good_reader = reader_over(good_in, site, ahead);
    auto bad_reader = reader_over(bad_in, site, ahead);
    // Every third call takes one edge with next(): the batches go on after it.
    std::vector<Edge> edges;
    for (int call = 0;; ++call) {
      if (call % 3 == 2) {
        const auto e = good_reader->next();
        if (!e) break;
        edges.push_back(*e);
        continue;
      }
      const auto batch = good_reader->read_batch();
      if (batch.empty()) break;
      edges.insert(edges.end(), batch.begin(), batch.end());
    }
    check_edges_of_trace(edges, 30'000);
    CHECK(good_reader->read_batch().empty());  // and stays ended

    std::size_t n = 0;
    try {
      for (auto batch = bad_reader->read_batch(); !batch.empty(); batch = bad_reader->read_batch()) n += batch.size();
      FAIL("no error");
    } catch (const InputError& e) {
      CHECK(std::string(e.what()).rfind("t.csv:20003: time goes backwards", 0) == 0);
    }
    CHECK(n == 20'000);
  }
}
