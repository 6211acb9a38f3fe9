// Detection does not depend on when it is told the time: the same edges give
// the same vehicles, every field and in the same order, whether time passes
// only with the edges (`roadspeed analyze`), also every second, exactly at
// every next_wakeup_ns() (the daemon's timer), or at random moments between
// edges (docs/detection.md, "Radar", and issue #3).
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "daemon/detect/vehicle_detector.hpp"
#include "daemon/site/site.hpp"
#include "drivers/sim/simulator.hpp"
#include "drivers/trace/trace_reader.hpp"
#include "vehicle_rows.hpp"

using namespace roadspeed;
using namespace roadspeed::test;
namespace fs = std::filesystem;

namespace {

const fs::path data = ROADSPEED_TEST_DATA;

enum class Schedule { edges, every_second, exact_wake, random_extra };

const char* name_of(Schedule s) {
  switch (s) {
    case Schedule::edges: return "edges only";
    case Schedule::every_second: return "edges and every second";
    case Schedule::exact_wake: return "edges and exactly at every next_wakeup_ns()";
    case Schedule::random_extra: return "edges and at random moments";
  }
  return "?";
}

// Detection driven on `schedule`; time never goes past the next edge.
// `past_wakes` counts next_wakeup_ns() times already past when asked.
// `pieces`: radar passes measured in pieces, as the daemon does.
std::string detect(const Site& site, VehicleDetector::Mode mode, const std::vector<Edge>& edges, Schedule schedule,
                   int* past_wakes, bool pieces = false) {
  VehicleDetector d(site, mode);
  if (pieces) d.measure_radar_passes_in_pieces();
  std::vector<Vehicle> out;
  std::mt19937_64 random(7);
  constexpr std::int64_t second = 1'000'000'000;
  const std::int64_t end_ns = edges.empty() ? 0 : edges.back().t_ns + 5 * second;
  std::int64_t now = edges.empty() ? 0 : edges.front().t_ns;
  std::int64_t next_second = now - now % second + second;
  for (std::size_t i = 0; i <= edges.size(); ++i) {
    const std::int64_t next_edge = i < edges.size() ? edges[i].t_ns : end_ns;
    switch (schedule) {
      case Schedule::edges: break;
      case Schedule::every_second:
        for (; next_second <= next_edge; next_second += second) d.advance_to(now = next_second, out);
        break;
      case Schedule::exact_wake:
        // As the daemon's timer; a wake already past, it takes at once.
        for (std::int64_t wake = d.next_wakeup_ns(); wake <= next_edge;) {
          // (While radar passes are measured in pieces, now is when the next piece is due.)
          if (wake <= now && !d.measuring()) ++*past_wakes;
          d.advance_to(now = std::max(now, wake), out);
          const std::int64_t again = d.next_wakeup_ns();
          if (again <= now && wake <= now) break;  // it would spin
          wake = again;
        }
        break;
      case Schedule::random_extra:
        if (next_edge > now && random() % 4 == 0) {
          now += static_cast<std::int64_t>(random() % static_cast<std::uint64_t>(next_edge - now + 1));
          d.advance_to(now, out);
        }
        break;
    }
    if (i == edges.size()) break;
    d.push(edges[i], out);
    now = edges[i].t_ns;
  }
  if (schedule != Schedule::edges) d.advance_to(end_ns, out);
  d.finish(out);
  // Live, each detector's rows come out in its own order as soon as they
  // are decided: how those of different detectors interleave depends on
  // when they are asked, and nothing downstream depends on it.
  if (mode == VehicleDetector::Mode::live)
    std::stable_sort(out.begin(), out.end(), [](const Vehicle& a, const Vehicle& b) { return a.detector < b.detector; });
  return rows(out);
}

void require_same_rows_on_every_schedule(const Site& site, const std::vector<Edge>& edges, std::size_t min_rows) {
  for (const auto mode : {VehicleDetector::Mode::batch, VehicleDetector::Mode::live}) {
    int past_wakes = 0;
    const std::string expected = detect(site, mode, edges, Schedule::edges, &past_wakes);
    REQUIRE(static_cast<std::size_t>(std::count(expected.begin(), expected.end(), '\n')) >= min_rows);
    for (const auto schedule : {Schedule::every_second, Schedule::exact_wake, Schedule::random_extra}) {
      INFO((mode == VehicleDetector::Mode::batch ? "batch, " : "live, ") << name_of(schedule));
      CHECK(difference(expected, detect(site, mode, edges, schedule, &past_wakes)) == "");
    }
    // As the daemon measures radar passes: in pieces, whenever told the time.
    if (mode == VehicleDetector::Mode::live)
      for (const auto schedule : {Schedule::edges, Schedule::every_second, Schedule::exact_wake, Schedule::random_extra}) {
        INFO("live, radar passes in pieces, " << name_of(schedule));
        CHECK(difference(expected, detect(site, mode, edges, schedule, &past_wakes, true)) == "");
      }
    // The daemon would wake at once for each, only to find nothing to do.
    CHECK(past_wakes == 0);
  }
}

}  // namespace

TEST_CASE("every golden trace gives the same rows whenever detection is told the time", "[detect][replay]") {
  std::vector<fs::path> traces;
  for (const auto& entry : fs::directory_iterator(data))
    if (entry.path().string().ends_with(".trace.csv")) traces.push_back(entry.path());
  std::sort(traces.begin(), traces.end());
  REQUIRE(traces.size() >= 10);
  for (const fs::path& trace : traces) {
    INFO(trace.filename().string());
    const fs::path site_file = site_of(trace);
    REQUIRE_FALSE(site_file.empty());
    const Site site = load_site_file(site_file);
    require_same_rows_on_every_schedule(site, read_trace(trace, site), 1);
  }
}

TEST_CASE("a simulated two-way roadside radar gives the same rows whenever detection is told the time",
          "[detect][replay][radar]") {
  const Site site = load_site_file(data / "sites/radar-roadside.toml");
  SimOptions o;
  o.hours = 0.1;  // about 60 vehicles, a few of them meeting in the beam
  o.seed = 11;
  o.scenario.traffic.volume_vph = 300;  // docs/examples/radar.scenario.toml
  o.scenario.traffic.diurnal = false;
  std::vector<Edge> edges;
  simulate(site, o, [&](const Edge& e) { edges.push_back(e); }, [](const TruthVehicle&) {});
  require_same_rows_on_every_schedule(site, edges, 30);
}
