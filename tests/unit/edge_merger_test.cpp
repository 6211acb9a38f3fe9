// Between a GPIO back-end and detection: kernel timestamps to wall time,
// lines merged in order, snapshots, lost-edge evidence.
#include <catch2/catch.hpp>

#include <vector>

#include "drivers/gpio/edge_merger.hpp"

using namespace roadspeed;

namespace {

constexpr std::int64_t kWindowNs = 5'000'000;
constexpr std::int64_t kOffsetNs = 1'764'158'400'000'000'000;  // wall - monotonic

std::vector<Edge> release(EdgeMerger& m, std::int64_t now_mono_ns, std::vector<Edge>* lost = nullptr) {
  std::vector<Edge> out;
  m.release(now_mono_ns, out, lost);
  return out;
}

}  // namespace

TEST_CASE("kernel timestamps come out on wall time, shifted by the caller's offset", "[gpio]") {
  EdgeMerger m(2, kOffsetNs, kWindowNs);
  const LineEvent ev{1'000'000'000, 1, 1, false};
  m.accept({&ev, 1});
  CHECK(release(m, 1'000'000'000 + kWindowNs) == std::vector<Edge>{{kOffsetNs + 1'000'000'000, 1, 1}});
}

TEST_CASE("batches of two lines read out of order are merged into time order", "[gpio]") {
  EdgeMerger m(2, 0, kWindowNs);
  const std::vector<LineEvent> line_b = {{2'000'000, 1, 1}, {3'000'000, 1, 0}};
  const std::vector<LineEvent> line_a = {{1'000'000, 0, 1}, {2'500'000, 0, 0}};
  m.accept(line_b);
  m.accept(line_a);
  CHECK(release(m, 3'000'000 + kWindowNs) ==
        std::vector<Edge>{{1'000'000, 0, 1}, {2'000'000, 1, 1}, {2'500'000, 0, 0}, {3'000'000, 1, 0}});
}

TEST_CASE("a snapshot that matches the line's last level is not an edge", "[gpio]") {
  EdgeMerger m(1, 0, kWindowNs);
  const LineEvent idle{1'000, 0, 0, true};  // opened while inactive: nothing happened
  m.accept({&idle, 1});
  std::vector<Edge> out;
  m.release_all(out);
  CHECK(out.empty());
}

TEST_CASE("a line already active when opened starts with an edge at the moment it was opened", "[gpio]") {
  EdgeMerger m(1, 0, kWindowNs);
  const std::vector<LineEvent> events = {{1'000, 0, 1, true}, {9'000, 0, 0, false}};
  m.accept(events);
  std::vector<Edge> out, lost;
  m.release_all(out, &lost);
  CHECK(out == std::vector<Edge>{{1'000, 0, 1}, {9'000, 0, 0}});
  CHECK(lost.empty());
}

TEST_CASE("a snapshot is judged against edges still held in the window", "[gpio]") {
  EdgeMerger m(1, 0, kWindowNs);
  const LineEvent rise{1'000, 0, 1, false};
  const LineEvent reopened_active{2'000, 0, 1, true};  // chip re-opened while the vehicle is still there
  m.accept({&rise, 1});
  m.accept({&reopened_active, 1});
  std::vector<Edge> out;
  m.release_all(out);
  CHECK(out == std::vector<Edge>{{1'000, 0, 1}});
}

TEST_CASE("an edge that repeats its line's level is passed on and reported as lost-edge evidence", "[gpio]") {
  EdgeMerger m(2, 100, kWindowNs);
  const std::vector<LineEvent> events = {{1'000, 0, 1}, {2'000, 0, 1}, {3'000, 0, 0}};
  m.accept(events);
  std::vector<Edge> lost;
  const auto out = release(m, 3'000 + kWindowNs, &lost);
  CHECK(out.size() == 3);
  CHECK(lost == std::vector<Edge>{{2'100, 0, 1}});
  CHECK(m.lost_edges(0) == 1);
  CHECK(m.lost_edges(1) == 0);
}
