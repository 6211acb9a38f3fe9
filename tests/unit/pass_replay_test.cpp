// Radar vehicles measured again from the pass journal: with the same site
// file, the daemon's rows exactly; with another beam angle, speeds scaled
// by the geometry.
#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <numbers>
#include <sstream>

#include "daemon/detect/vehicle_detector.hpp"
#include "daemon/journal/edge_journal.hpp"
#include "daemon/journal/pass_replay.hpp"
#include "drivers/trace/trace_reader.hpp"
#include "read_file.hpp"

using namespace roadspeed;
namespace fs = std::filesystem;

using roadspeed::test::read_file;

namespace {

const fs::path data = ROADSPEED_TEST_DATA;

std::string without_offsets(std::string site) {
  for (const std::string key : {"forward_offset_m", "reverse_offset_m"}) {
    const std::size_t at = site.find(key);
    site.erase(at, site.find('\n', at) + 1 - at);
  }
  return site;
}

std::string with(std::string site, const std::string& from, const std::string& to) {
  site.replace(site.find(from), from.size(), to);
  return site;
}

struct Recorded {
  std::vector<Vehicle> vehicles;  // the radars', as the daemon releases them
  JournalIndex passes;
};

// What roadspeedd does with a trace: live detection, passes kept and journaled.
Recorded record(const fs::path& trace, std::shared_ptr<const Site> site, const fs::path& dir) {
  Recorded r;
  fs::remove_all(dir);
  VehicleDetector detector(*site, VehicleDetector::Mode::live);
  detector.keep_radar_passes();
  std::vector<Vehicle> out;
  std::vector<RadarPass> passes;
  std::int64_t last_ns = 0;
  {
    EdgeJournal journal(dir, site, JournalLimits{});
    std::ifstream in(trace);
    const auto reader = make_trace_reader(in, trace.string(), *site);
    while (const auto e = reader->next()) {
      detector.push(*e, out);
      detector.take_radar_passes(passes);
      journal.append_passes(passes, site, 0);
      last_ns = e->t_ns;
    }
    detector.finish(out);
    detector.take_radar_passes(passes);
    journal.append_passes(passes, site, 0);
    journal.close(last_ns);
  }
  for (const Vehicle& v : out)
    if (v.detector >= site->traps.size()) r.vehicles.push_back(v);
  r.passes = index_pass_journal(dir, *site, {0, last_ns + 1});
  return r;
}

std::string rows(const std::vector<Vehicle>& vehicles) {
  std::ostringstream s;
  s.precision(17);
  for (const Vehicle& v : vehicles)
    s << v.t_ns << ' ' << v.detector << ' ' << int(v.direction) << ' ' << v.speed_kmh.value_or(-1) << ' '
      << int(v.vehicle_class) << ' ' << v.flags.bits() << '\n';
  return s.str();
}

}  // namespace

TEST_CASE("radar passes measured again with the same site file give the daemon's rows exactly", "[journal]") {
  const fs::path dir = fs::temp_directory_path() / ("roadspeed-pass-replay-" + std::to_string(::getpid()));
  const std::string roadside = read_file(data / "sites/radar-roadside.toml");
  // Given lane offsets, and offsets learnt from the passes themselves.
  for (const std::string& site_text : {roadside, without_offsets(roadside)})
    for (const std::string trace : {"radar-both-directions", "radar-follower", "radar-glitches"}) {
      INFO(trace << (site_text == roadside ? " with offsets" : " learning offsets"));
      auto site = std::make_shared<const Site>(parse_site(site_text, "site.toml"));
      const Recorded r = record(data / (trace + ".trace.csv"), site, dir);
      REQUIRE(r.vehicles.size() >= 3);
      const auto again = measure_passes(r.passes, *site, {0, std::numeric_limits<std::int64_t>::max()});
      CHECK(rows(again) == rows(r.vehicles));
    }
  fs::remove_all(dir);
}

TEST_CASE("radar passes measured again with another beam angle scale every speed by the ratio of its cosines",
          "[journal]") {
  const fs::path dir = fs::temp_directory_path() / ("roadspeed-pass-angle-" + std::to_string(::getpid()));
  const std::string in_line = read_file(data / "sites/radar-in-line.toml");  // offset 0: a constant angle
  auto site = std::make_shared<const Site>(parse_site(in_line, "site.toml"));
  const Site steeper = parse_site(with(in_line, "angle_deg = 10", "angle_deg = 25"), "site.toml");
  // f = k v cos(angle): the same frequencies under a larger angle are a faster vehicle.
  const double deg = std::numbers::pi / 180;
  const double factor = std::cos(10 * deg) / std::cos(25 * deg);
  int measured = 0;
  for (const std::string trace : {"radar-both-directions", "radar-follower"}) {
    const Recorded r = record(data / (trace + ".trace.csv"), site, dir);
    const std::vector<Vehicle> before = measure_passes(r.passes, *site, {0, std::numeric_limits<std::int64_t>::max()});
    const std::vector<Vehicle> after = measure_passes(r.passes, steeper, {0, std::numeric_limits<std::int64_t>::max()});
    REQUIRE(after.size() == before.size());
    for (std::size_t i = 0; i < before.size(); ++i) {
      REQUIRE(after[i].t_ns == before[i].t_ns);
      if (!before[i].speed_kmh || !after[i].speed_kmh) continue;
      ++measured;
      CHECK(*after[i].speed_kmh / *before[i].speed_kmh == Approx(factor).epsilon(1e-9));
    }
  }
  CHECK(measured > 10);
  fs::remove_all(dir);
}
