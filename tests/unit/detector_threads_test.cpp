// analyze's detection on threads (one per detector, or a share of them each)
// gives exactly the rows of one VehicleDetector over the whole site: every
// field, in the same order, whatever the batches the edges come in.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include "daemon/detect/detector_threads.hpp"
#include "daemon/detect/vehicle_detector.hpp"
#include "daemon/site/site.hpp"
#include "drivers/sim/simulator.hpp"
#include "vehicle_rows.hpp"

using namespace roadspeed;
using namespace roadspeed::test;
namespace fs = std::filesystem;

namespace {

const fs::path data = ROADSPEED_TEST_DATA;

std::string on_one_detector(const Site& site, const std::vector<Edge>& edges) {
  VehicleDetector d(site);
  std::vector<Vehicle> out;
  for (const Edge& e : edges) d.push(e, out);
  d.finish(out);
  return rows(out);
}

std::string on_threads(const Site& site, const std::vector<Edge>& edges, std::size_t threads, std::size_t batch) {
  DetectorThreads d(site, threads);
  std::vector<Vehicle> out;
  for (std::size_t i = 0; i < edges.size(); i += batch)
    d.push(std::span<const Edge>(edges).subspan(i, std::min(batch, edges.size() - i)), out);
  d.finish(out);
  return rows(out);
}

// Batches of one edge find every moment a worker can be behind; radar traces
// (thousands of edges a vehicle) take batches of a few hundred.
void require_same_rows_on_threads(const Site& site, const std::vector<Edge>& edges, std::size_t min_rows) {
  const std::size_t smallest = edges.size() > 20'000 ? 251 : 1;
  const std::string expected = on_one_detector(site, edges);
  REQUIRE(static_cast<std::size_t>(std::count(expected.begin(), expected.end(), '\n')) >= min_rows);
  for (std::size_t threads = 1; threads <= site.detector_count(); ++threads)
    for (const std::size_t batch : {smallest, std::size_t{7} * smallest, std::size_t{4096}}) {
      INFO(threads << " threads, batches of " << batch << " edges");
      CHECK(difference(expected, on_threads(site, edges, threads, batch)) == "");
    }
}

std::vector<Edge> simulated(const Site& site, double hours, double volume_vph) {
  SimOptions o;
  o.hours = hours;
  o.seed = 5;
  o.scenario.traffic.volume_vph = volume_vph;
  std::vector<Edge> edges;
  simulate(site, o, [&](const Edge& e) { edges.push_back(e); }, [](const TruthVehicle&) {});
  return edges;
}

}  // namespace

TEST_CASE("detection on threads gives the site detector's rows on a simulated two-lane arterial", "[detect][replay]") {
  const Site site = load_site_file(data / "sites/arterial.toml");
  REQUIRE(site.detector_count() == 2);
  // Platoons and tailgating in both lanes: rows of the two traps interleave
  // closely, ties included.
  require_same_rows_on_threads(site, simulated(site, 0.5, 1500), 500);
}

TEST_CASE("detection on threads gives the site detector's rows on every golden trace of several detectors",
          "[detect][replay]") {
  int traces = 0;
  for (const auto& entry : fs::directory_iterator(data)) {
    if (!entry.path().string().ends_with(".trace.csv")) continue;
    const Site site = load_site_file(site_of(entry.path()));
    if (site.detector_count() < 2) continue;
    INFO(entry.path().filename().string());
    require_same_rows_on_threads(site, read_trace(entry.path(), site), 1);
    ++traces;
  }
  CHECK(traces >= 2);
}

TEST_CASE("detection on threads gives the site detector's rows on a street with a trap and a radar",
          "[detect][replay][radar]") {
  const Site site = load_site_file(data / "sites/radar-street.toml");
  REQUIRE(site.traps.size() == 1);
  REQUIRE(site.radars.size() == 1);
  require_same_rows_on_threads(site, simulated(site, 0.05, 600), 10);
}

TEST_CASE("rows given before the end are final, and the threads stop cleanly without finish()", "[detect]") {
  const Site site = load_site_file(data / "sites/arterial.toml");
  const std::vector<Edge> edges = simulated(site, 0.2, 1500);
  const std::string complete = on_one_detector(site, edges);
  std::vector<Vehicle> early;
  {
    // As when reading fails half-way: analyze leaves without finish(), and
    // the workers must stop and join whatever they were doing.
    // Many batches: the bounded hand-over makes the reading wait for the
    // workers, so rows of the first batches are back before the last go out.
    DetectorThreads d(site, 2);
    for (std::size_t i = 0; i < edges.size() / 2; i += 64)
      d.push(std::span<const Edge>(edges).subspan(i, 64), early);
  }
  REQUIRE(!early.empty());
  const std::string given = rows(early);
  CHECK(complete.starts_with(given));
}
