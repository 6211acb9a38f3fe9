#include <catch2/catch.hpp>

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <stdexcept>
#include <thread>
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

TEST_CASE("a paced source counts the edges of one input that came while the loop was busy", "[service]") {
  boost::asio::io_context io;
  // Input 0 every 2 ms, input 1 every 0.25 ms, for 40 ms.
  std::vector<Edge> sent;
  for (int i = 0; i < 160; ++i) {
    const std::int64_t t = 1'000'000'000 + i * 250'000;
    if (i % 8 == 0) sent.push_back(Edge{t, 0, (i / 8) % 2 == 0});
    sent.push_back(Edge{t + 1, 1, i % 2 == 0});
  }
  PacedEdgeSource source(io, producing(sent), Pace::recorded, "test");
  std::size_t got = 0;
  bool stalled = false;
  source.start({[&](std::span<const Edge> e) {
                  got += e.size();
                  // Once, 10 ms in, the loop is busy for 5 ms: at least 20
                  // edges of input 1 wait meanwhile.
                  if (!stalled && e.back().t_ns >= sent.front().t_ns + 10'000'000) {
                    stalled = true;
                    std::this_thread::sleep_for(std::chrono::milliseconds(5));
                  }
                },
                [](const std::string&) {}});
  io.run();
  REQUIRE(got == sent.size());
  const auto backlog = source.largest_backlog();
  REQUIRE(backlog);
  CHECK(backlog->input == 1);
  CHECK(backlog->edges >= 20);
  CHECK(backlog->edges <= 160);
  // Past the kernel's 16 a line: a GPIO line would have lost the rest.
  CHECK(backlog->overflows >= 1);
  CHECK(backlog->edges_beyond >= backlog->edges - EdgeSource::Backlog::kernel_queue);
}

TEST_CASE("a source replayed as fast as possible has no backlog to report", "[service]") {
  boost::asio::io_context io;
  PacedEdgeSource source(io, producing(edges_every(1000, 100)), Pace::fast, "test");
  source.start({[](std::span<const Edge>) {}, [](const std::string&) {}});
  io.run();
  CHECK_FALSE(source.largest_backlog());
}
