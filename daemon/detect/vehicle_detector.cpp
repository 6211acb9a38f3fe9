#include "daemon/detect/vehicle_detector.hpp"

#include <algorithm>
#include <limits>
#include <numeric>
#include <string>
#include <utility>

namespace roadspeed {
namespace {

constexpr std::int64_t never = std::numeric_limits<std::int64_t>::min();

// Heap comparator: the earliest row, ties by detector id then direction name.
bool later(const auto& a, const auto& b) {
  if (a.vehicle.t_ns != b.vehicle.t_ns) return a.vehicle.t_ns > b.vehicle.t_ns;
  return a.rank > b.rank;
}

}  // namespace

VehicleDetector::VehicleDetector(const Site& site) : routes_(site.inputs.size()) {
  for (std::size_t i = 0; i < site.traps.size(); ++i) {
    const Trap& t = site.traps[i];
    traps_.emplace_back(t, site.classes, static_cast<std::uint16_t>(i));
    routes_.at(t.first) = Route{static_cast<int>(i), -1, 0};
    routes_.at(t.second) = Route{static_cast<int>(i), -1, 1};
  }
  for (std::size_t i = 0; i < site.radars.size(); ++i) {
    const Radar& r = site.radars[i];
    radars_.emplace_back(r, static_cast<std::uint16_t>(site.traps.size() + i));
    routes_.at(r.input) = Route{-1, static_cast<int>(i), 0};
    if (r.input_q) routes_.at(*r.input_q) = Route{-1, static_cast<int>(i), 1};
  }
  // Lanes are (detector, direction); rank them by id, then direction name.
  std::vector<std::pair<std::string, std::string>> lanes;
  for (const Trap& t : site.traps) {
    lanes.emplace_back(t.id, t.forward);
    lanes.emplace_back(t.id, t.reverse.empty() ? t.forward : t.reverse);
  }
  for (const Radar& r : site.radars) {
    lanes.emplace_back(r.id, r.forward);
    lanes.emplace_back(r.id, r.reverse.empty() ? r.forward : r.reverse);
  }
  std::vector<int> order(lanes.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return lanes[a] < lanes[b]; });
  lane_rank_.resize(lanes.size());
  for (std::size_t r = 0; r < order.size(); ++r) lane_rank_[order[r]] = static_cast<int>(r);
  last_in_lane_ns_.assign(lanes.size(), never);
}

int VehicleDetector::lane_of(const Vehicle& v) const {
  return 2 * v.detector + (v.direction == Direction::reverse ? 1 : 0);
}

void VehicleDetector::push(const Edge& e, std::vector<Vehicle>& out) {
  const Route r = e.input < routes_.size() ? routes_[e.input] : Route{};
  if (r.trap >= 0) traps_[r.trap].push(r.channel, e.t_ns, e.level != 0, produced_);
  if (r.radar >= 0) radars_[r.radar].push(r.channel, e.t_ns, e.level != 0, produced_);
  // The other traps need the news that time has passed only now and then:
  // it closes their waiting vehicles and lets the output move on.
  if (e.t_ns >= next_sweep_ns_) {
    advance_to(e.t_ns, out);
  } else if (!produced_.empty()) {
    hold(produced_);
    release(horizon_ns(), out);
  }
}

void VehicleDetector::advance_to(std::int64_t t_ns, std::vector<Vehicle>& out) {
  for (LoopTrap& trap : traps_) trap.advance_to(t_ns, produced_);
  for (RadarDetector& radar : radars_) radar.advance_to(t_ns, produced_);
  next_sweep_ns_ = t_ns + sweep_interval_ns;
  hold(produced_);
  release(horizon_ns(), out);
}

std::int64_t VehicleDetector::horizon_ns() const {
  std::int64_t horizon = std::numeric_limits<std::int64_t>::max();
  for (const LoopTrap& trap : traps_) horizon = std::min(horizon, trap.horizon_ns());
  for (const RadarDetector& radar : radars_) horizon = std::min(horizon, radar.horizon_ns());
  return horizon;
}

bool VehicleDetector::idle() const {
  return held_.empty() && produced_.empty() &&
         std::all_of(traps_.begin(), traps_.end(), [](const LoopTrap& t) { return t.idle(); }) &&
         std::all_of(radars_.begin(), radars_.end(), [](const RadarDetector& r) { return r.idle(); });
}

void VehicleDetector::finish(std::vector<Vehicle>& out) {
  for (LoopTrap& trap : traps_) trap.finish(produced_);
  for (RadarDetector& radar : radars_) radar.finish(produced_);
  hold(produced_);
  release(std::numeric_limits<std::int64_t>::max(), out);
}

void VehicleDetector::hold(std::vector<Vehicle>& produced) {
  for (Vehicle& v : produced) {
    held_.push_back(Held{v, lane_rank_[lane_of(v)]});
    std::push_heap(held_.begin(), held_.end(), later<Held, Held>);
  }
  produced.clear();
}

void VehicleDetector::release(std::int64_t horizon_ns, std::vector<Vehicle>& out) {
  while (!held_.empty() && (held_.front().vehicle.t_ns < horizon_ns ||
                            horizon_ns == std::numeric_limits<std::int64_t>::max())) {
    std::pop_heap(held_.begin(), held_.end(), later<Held, Held>);
    Vehicle v = held_.back().vehicle;
    held_.pop_back();
    std::int64_t& last = last_in_lane_ns_[lane_of(v)];
    if (last != never && v.t_ns - last < tailgate_headway_ns) v.flags.set(Flag::tailgate);
    last = v.t_ns;
    out.push_back(v);
  }
}

}  // namespace roadspeed
