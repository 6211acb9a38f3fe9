#include "daemon/journal/pass_replay.hpp"

#include <algorithm>
#include <limits>
#include <optional>
#include <string>
#include <tuple>
#include <utility>

#include "daemon/detect/radar_detector.hpp"
#include "daemon/detect/lane_headways.hpp"

namespace roadspeed {
namespace {

const std::string& direction_name(const Radar& r, const Vehicle& v) {
  return v.direction == Direction::reverse && !r.reverse.empty() ? r.reverse : r.forward;
}

// One daemon run's vehicles in the order VehicleDetector releases a
// detector's (time, then direction name), with the tailgate flag it sets.
void release(std::vector<Vehicle>& run, const Site& site, std::vector<Vehicle>& out) {
  const auto key = [&](const Vehicle& v) {
    return std::tie(v.detector, v.t_ns, direction_name(site.radars[v.detector - site.traps.size()], v));
  };
  std::stable_sort(run.begin(), run.end(), [&](const Vehicle& a, const Vehicle& b) { return key(a) < key(b); });
  LaneHeadways headways;
  for (Vehicle& v : run) {
    headways.flag(v);
    out.push_back(v);
  }
  run.clear();
}

}  // namespace

std::vector<Vehicle> measure_passes(const JournalIndex& passes, const Site& site, const TimeSpan& window) {
  std::vector<Vehicle> out, run;
  std::vector<RadarDetector> radars;
  std::optional<std::int64_t> watched_to_ns;
  for (const JournalSegment& s : passes.segments) {
    if (s.end_ns < window.start_ns || s.first_edge_ns >= window.end_ns) continue;
    if (!watched_to_ns || s.first_edge_ns > *watched_to_ns) {
      release(run, site, out);
      radars.clear();
      for (std::size_t i = 0; i < site.radars.size(); ++i)
        radars.emplace_back(site.radars[i], static_cast<std::uint16_t>(site.traps.size() + i));
    }
    for_each_pass(s, site, window, [&](RadarPass&& p) {
      radars.at(p.detector - site.traps.size()).measure_pass(p.segment, run);
    });
    watched_to_ns = s.end_ns;
  }
  release(run, site, out);
  std::stable_sort(out.begin(), out.end(), [](const Vehicle& a, const Vehicle& b) { return a.t_ns < b.t_ns; });
  return out;
}

}  // namespace roadspeed
