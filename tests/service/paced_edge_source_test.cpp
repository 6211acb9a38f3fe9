#include <catch2/catch.hpp>

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <stdexcept>
#include <vector>

#include "drivers/paced/paced_edge_source.hpp"

using namespace roadspeed;

namespace {

std::vector<Edge> edges_every(std::int64_t step_ns, int count) {
  std::vector<Edge> edges;
  for (int i = 0; i < count; ++i) edges.push_back(Edge{1'000'000'000 + i * step_ns, InputId(i % 2), (i / 2) % 2 == 0});
  return edges;
}

PacedEdgeSource::Producer producing(std::vector<Edge> edges) {
  return [edges](const std::function<void(const Edge&)>& emit) {
    for (const Edge& e : edges) emit(e);
  };
}

}  // namespace

TEST_CASE("a fast source delivers every edge in order, then ends", "[service]") {
  boost::asio::io_context io;
  // More than a few batches, so the producer has to wait for the loop.
  const auto sent = edges_every(1000, int(PacedEdgeSource::batch_edges * PacedEdgeSource::max_batches_ahead * 3 + 17));
  PacedEdgeSource source(io, producing(sent), Pace::fast, "test");
  std::vector<Edge> got;
  std::string end = "not ended";
  source.start({[&](std::span<const Edge> e) { got.insert(got.end(), e.begin(), e.end()); },
                [&](const std::string& error) { end = error; }});
  io.run();
  CHECK(end.empty());
  REQUIRE(got.size() == sent.size());
  CHECK(got.front().t_ns == sent.front().t_ns);
  CHECK(got.back().t_ns == sent.back().t_ns);
  CHECK(source.delivered_through_ns() == sent.back().t_ns);
}

TEST_CASE("a paced source never releases an edge before its time", "[service]") {
  boost::asio::io_context io;
  const auto sent = edges_every(20'000'000, 6);  // 20 ms apart
  PacedEdgeSource source(io, producing(sent), Pace::recorded, "test");
  const auto start = std::chrono::steady_clock::now();
  std::vector<std::pair<Edge, std::chrono::nanoseconds>> got;
  source.start({[&](std::span<const Edge> e) {
                  for (const Edge& x : e) got.emplace_back(x, std::chrono::steady_clock::now() - start);
                },
                [](const std::string&) {}});
  io.run();
  REQUIRE(got.size() == sent.size());
  for (const auto& [e, at] : got) CHECK(at.count() >= e.t_ns - sent.front().t_ns);
}

TEST_CASE("a producer's error ends the source with its message", "[service]") {
  boost::asio::io_context io;
  PacedEdgeSource source(
      io,
      [](const std::function<void(const Edge&)>& emit) {
        emit(Edge{5, 0, true});
        throw std::runtime_error("t.csv:9: time goes backwards");
      },
      Pace::fast, "test");
  std::size_t edges = 0;
  std::string end = "not ended";
  source.start({[&](std::span<const Edge> e) { edges += e.size(); }, [&](const std::string& error) { end = error; }});
  io.run();
  CHECK(edges == 1);
  CHECK(end == "t.csv:9: time goes backwards");
}

TEST_CASE("stopping a source ends its producer however far ahead it is", "[service]") {
  boost::asio::io_context io;
  PacedEdgeSource source(
      io,
      [](const std::function<void(const Edge&)>& emit) {
        for (std::int64_t t = 0;; t += 1000) emit(Edge{t, 0, (t / 1000) % 2 == 0});
      },
      Pace::recorded, "endless");
  std::size_t edges = 0;
  source.start({[&](std::span<const Edge> e) { edges += e.size(); }, [](const std::string&) {}});
  io.run_for(std::chrono::milliseconds(50));
  source.stop();  // joins the producer: the test hangs if it cannot
  CHECK(edges > 0);
}
