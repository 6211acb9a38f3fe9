#include "daemon/detect/vehicle_detector.hpp"

#include <algorithm>
#include <iterator>
#include <limits>
#include <numeric>
#include <string>
#include <utility>

namespace roadspeed {
namespace {

// Output order: the earliest row first, ties by detector id then direction name.
bool later(const auto& a, const auto& b) { return RowOrder::later(a.vehicle.t_ns, a.rank, b.vehicle.t_ns, b.rank); }

std::vector<std::size_t> every_detector(const Site& site) {
  std::vector<std::size_t> all(site.detector_count());
  std::iota(all.begin(), all.end(), std::size_t{0});
  return all;
}

}  // namespace

VehicleDetector::VehicleDetector(const Site& site, Mode mode) : VehicleDetector(site, mode, every_detector(site)) {}

VehicleDetector::VehicleDetector(const Site& site, Mode mode, const std::vector<std::size_t>& detectors)
    : routes_(site.inputs.size()),
      served_(site.detector_count(), 0),
      order_(site),
      mode_(mode),
      held_(site.detector_count()) {
  for (std::size_t i = 0; i < site.traps.size(); ++i)
    traps_.emplace_back(site.traps[i], site.classes, static_cast<std::uint16_t>(i), mode == Mode::live);
  for (std::size_t i = 0; i < site.radars.size(); ++i)
    radars_.emplace_back(site.radars[i], static_cast<std::uint16_t>(site.traps.size() + i));
  sweeps_ = mode == Mode::live || detectors.size() > 1;
  for (std::size_t d : detectors) {
    served_.at(d) = 1;
    const std::vector<InputId> inputs = site.detector_inputs(d);
    const int trap = d < traps_.size() ? static_cast<int>(d) : -1;
    const int radar = d < traps_.size() ? -1 : static_cast<int>(d - traps_.size());
    for (std::size_t channel = 0; channel < inputs.size(); ++channel)
      routes_.at(inputs[channel]) = Route{trap, radar, static_cast<int>(channel)};
  }
}

void VehicleDetector::push(const Edge& e, std::vector<Vehicle>& out) {
  now_ns_ = std::max(now_ns_, e.t_ns);
  const Route r = e.input < routes_.size() ? routes_[e.input] : Route{};
  if (r.trap >= 0) traps_[r.trap].push(r.channel, e.t_ns, e.level != 0, produced_);
  if (r.radar >= 0) radars_[r.radar].push(r.channel, e.t_ns, e.level != 0, produced_);
  // The other traps need the news that time has passed only now and then:
  // it closes their waiting vehicles and lets the output move on. A batch
  // detector serving one detector has no other: its rows come out with the
  // next it decides, or when told the time (the same rows, later).
  if (e.t_ns >= next_sweep_ns_ && sweeps_) {
    advance_to(e.t_ns, out);
  } else if (!produced_.empty()) {
    hold(produced_);
    release(out);
  }
}

void VehicleDetector::advance_to(std::int64_t t_ns, std::vector<Vehicle>& out) {
  now_ns_ = std::max(now_ns_, t_ns);
  for (std::size_t i = 0; i < traps_.size(); ++i)
    if (served_[i]) traps_[i].advance_to(t_ns, produced_);
  for (std::size_t i = 0; i < radars_.size(); ++i)
    if (served_[traps_.size() + i]) radars_[i].advance_to(t_ns, produced_);
  next_sweep_ns_ = t_ns + sweep_interval_ns;
  hold(produced_);
  release(out);
}

std::int64_t VehicleDetector::horizon_ns(std::size_t detector) const {
  return detector < traps_.size() ? traps_[detector].horizon_ns() : radars_[detector - traps_.size()].horizon_ns();
}

std::int64_t VehicleDetector::site_horizon_ns() const {
  std::int64_t horizon = std::numeric_limits<std::int64_t>::max();
  for (std::size_t d = 0; d < held_.size(); ++d)
    if (served_[d]) horizon = std::min(horizon, horizon_ns(d));
  return horizon;
}

std::int64_t VehicleDetector::rows_from_ns() const {
  std::int64_t from = std::numeric_limits<std::int64_t>::max();
  for (std::size_t d = 0; d < held_.size(); ++d) {
    if (!served_[d]) continue;
    from = std::min(from, horizon_ns(d));
    if (!held_[d].empty()) from = std::min(from, held_[d].front().vehicle.t_ns);
  }
  return from;
}

std::int64_t VehicleDetector::next_wakeup_ns() const {
  std::int64_t t = std::numeric_limits<std::int64_t>::max();
  for (std::size_t i = 0; i < traps_.size(); ++i)
    if (served_[i]) t = std::min(t, traps_[i].next_wakeup_ns());
  // A radar still measuring passes wants the next piece at once: now, as
  // far as detection has been told (a radar's own time may be behind that).
  for (std::size_t i = 0; i < radars_.size(); ++i)
    if (served_[traps_.size() + i]) t = std::min(t, radars_[i].measuring() ? now_ns_ : radars_[i].next_wakeup_ns());
  return t;
}

bool VehicleDetector::measuring() const {
  return std::any_of(radars_.begin(), radars_.end(), [](const RadarDetector& r) { return r.measuring(); });
}

bool VehicleDetector::idle() const {
  return std::all_of(held_.begin(), held_.end(), [](const auto& h) { return h.empty(); }) && produced_.empty() &&
         std::all_of(traps_.begin(), traps_.end(), [](const LoopTrap& t) { return t.idle(); }) &&
         std::all_of(radars_.begin(), radars_.end(), [](const RadarDetector& r) { return r.idle(); });
}

void VehicleDetector::keep_radar_passes() {
  for (RadarDetector& radar : radars_) radar.keep_passes();
}

void VehicleDetector::measure_radar_passes_in_pieces() {
  for (RadarDetector& radar : radars_) radar.measure_in_pieces();
}

void VehicleDetector::take_radar_passes(std::vector<RadarPass>& out) {
  for (RadarDetector& radar : radars_) radar.take_passes(out);
}

void VehicleDetector::finish(std::vector<Vehicle>& out) {
  for (std::size_t i = 0; i < traps_.size(); ++i)
    if (served_[i]) traps_[i].finish(produced_);
  for (std::size_t i = 0; i < radars_.size(); ++i)
    if (served_[traps_.size() + i]) radars_[i].finish(produced_);
  hold(produced_);
  release(out, true);
}

// Each detector's rows are kept sorted: a trap or radar emits nearly in time
// order, so a row almost always goes to the back after one comparison.
// Rows equal in time and lane keep the order they were decided in.
void VehicleDetector::hold(std::vector<Vehicle>& produced) {
  for (Vehicle& v : produced) {
    auto& rows = held_[v.detector];
    Held h{v, order_.rank(v)};
    auto at = rows.end();
    while (at != rows.begin() && later(*std::prev(at), h)) --at;
    rows.insert(at, h);
  }
  produced.clear();
}

void VehicleDetector::release(std::vector<Vehicle>& out, bool final) {
  constexpr std::int64_t end_of_time = std::numeric_limits<std::int64_t>::max();
  if (mode_ == Mode::live) {
    for (std::size_t d = 0; d < held_.size(); ++d) {
      const std::int64_t horizon = final ? end_of_time : horizon_ns(d);
      while (!held_[d].empty() && (held_[d].front().vehicle.t_ns < horizon || final)) release_one(d, out);
    }
    return;
  }
  if (std::all_of(held_.begin(), held_.end(), [](const auto& rows) { return rows.empty(); })) return;
  const std::int64_t horizon = final ? end_of_time : site_horizon_ns();
  for (;;) {
    // The earliest held row of the site: the earliest of each detector's.
    std::size_t next = held_.size();
    for (std::size_t d = 0; d < held_.size(); ++d)
      if (!held_[d].empty() && (next == held_.size() || later(held_[next].front(), held_[d].front()))) next = d;
    if (next == held_.size() || !(held_[next].front().vehicle.t_ns < horizon || final)) return;
    release_one(next, out);
  }
}

void VehicleDetector::release_one(std::size_t detector, std::vector<Vehicle>& out) {
  auto& rows = held_[detector];
  out.push_back(rows.front().vehicle);
  rows.pop_front();
  headways_.flag(out.back());
}

}  // namespace roadspeed
