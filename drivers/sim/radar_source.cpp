#include "drivers/sim/radar_source.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <tuple>

#include "daemon/detect/classify.hpp"

namespace roadspeed::sim {
namespace {

constexpr std::int64_t never = std::numeric_limits<std::int64_t>::max();
// A pass's first edge may precede its window by a quarter period and the
// jitter (Q of a receding vehicle): far less than this at any speed we draw.
constexpr std::int64_t edge_lead_ns = 20'000'000;
// Noise pulses last this long (microseconds): comparator spikes.
constexpr double noise_min_us = 20;
constexpr double noise_max_us = 300;
// The truth's owned span is found on this grid.
constexpr std::int64_t owner_scan_step_ns = 1'000'000;

// Sub-stream numbers for derive_seed, apart from the loop simulator's.
constexpr std::uint64_t seed_traffic = 7000;
constexpr std::uint64_t seed_signal = 8000;
constexpr std::uint64_t seed_noise = 9000;

std::int64_t to_ns(double s) { return std::llround(s * 1e9); }

bool later_truth(const TruthVehicle& a, const TruthVehicle& b) {
  return std::tie(a.t_ns, a.direction) > std::tie(b.t_ns, b.direction);
}

}  // namespace

RadarSource::RadarSource(const Site& site, std::size_t index, const SimOptions& options, std::int64_t start_ns,
                         std::int64_t end_ns)
    : site_(site),
      index_(index),
      end_ns_(end_ns),
      signal_rng_(derive_seed(options.seed, seed_signal + index)),
      noise_rng_(derive_seed(options.seed, seed_noise + index)),
      next_noise_ns_(never),
      noise_rate_per_s_(options.scenario.radar.noise_per_s) {
  const Radar& r = site.radars.at(index);
  outputs_ = RadarOutputs{r.input, r.input_q};
  const Scenario& sc = options.scenario;
  for (int d = 0; d < (r.reverse.empty() ? 1 : 2); ++d) {
    StreamSetup setup;
    setup.volume_vph = d == 1 ? sc.traffic.reverse_volume_vph.value_or(sc.traffic.volume_vph) : sc.traffic.volume_vph;
    setup.start_ns = start_ns;
    setup.end_ns = end_ns;
    streams_.emplace_back(sc.traffic, sc.cards, setup, derive_seed(options.seed, seed_traffic + 2 * index + d));
    directions_.push_back(d == 1 ? Direction::reverse : Direction::forward);
    lanes_.push_back(make_radar_lane(r, sc.radar, d == 1));
  }
  if (noise_rate_per_s_ > 0) next_noise_ns_ = start_ns + to_ns(noise_rng_.exponential(noise_rate_per_s_));
}

std::int64_t RadarSource::next_arrival_ns() const {
  std::int64_t t = never;
  for (const TrafficStream& s : streams_)
    if (const SimVehicle* v = s.peek()) t = std::min(t, v->t_ns);
  return t;
}

// No edge still to be generated (noise apart) can come before this.
std::int64_t RadarSource::safe_ns() const {
  std::int64_t t = next_arrival_ns();
  for (const Held& h : passes_)
    if (!h.done) t = std::min(t, h.pass.from_ns());
  return t == never ? never : t - edge_lead_ns;
}

// One unit of work: a pass no later arrival can overlap gets its pulses, or
// the next vehicle arrives. False when all is done.
bool RadarSource::step() {
  const std::int64_t arrival = next_arrival_ns();
  for (std::size_t i = 0; i < passes_.size(); ++i) {
    if (!passes_[i].done && (passes_[i].pass.to_ns() < arrival || arrival == never)) {
      finalize(i);
      drop_passed();
      return true;
    }
  }
  if (arrival == never) return false;
  take_arrival();
  return true;
}

void RadarSource::take_arrival() {
  std::size_t k = 0;
  for (std::size_t i = 1; i < streams_.size(); ++i)
    if (streams_[i].peek() && (!streams_[k].peek() || streams_[i].peek()->t_ns < streams_[k].peek()->t_ns)) k = i;
  const SimVehicle v = streams_[k].take();
  const RadarLane& lane = lanes_[k];
  const double strength = v.body.kind == VehicleKind::two_wheeler ? lane.params.two_wheeler_strength : 1.0;
  RadarPass pass(lane, v, strength);
  passes_.push_back(Held{pass, make_truth(v, pass, directions_[k]), false});
  if (!pass.seen()) finalize(passes_.size() - 1);
  ++vehicles_;
}

TruthVehicle RadarSource::make_truth(const SimVehicle& v, const RadarPass& pass, Direction d) const {
  TruthVehicle t;
  t.t_ns = pass.middle_ns();
  t.detector = static_cast<std::uint16_t>(site_.traps.size() + index_);
  t.direction = d;
  t.speed_kmh = pass.speed_mps(pass.axis_ns()) * 3.6;
  t.length_m = v.body.length_m;
  t.vehicle_class = classify_length(v.body.length_m, site_.classes);
  t.accel_mps2 = pass.accel_mps2();
  t.tailgating = v.headway_s < 1.0;
  return t;
}

// The pulses of pass `index`, where its return is the strongest.
void RadarSource::finalize(std::size_t index) {
  Held& h = passes_[index];
  const auto owns = [&](std::int64_t t_ns) {
    const double mine = h.pass.amplitude(t_ns);
    for (std::size_t j = 0; j < passes_.size(); ++j) {
      const RadarPass& other = passes_[j].pass;
      if (j == index || t_ns < other.from_ns() || t_ns > other.to_ns()) continue;
      const double theirs = other.amplitude(t_ns);
      if (theirs > mine || (theirs == mine && j < index)) return false;
    }
    return true;
  };
  scratch_.clear();
  if (h.pass.seen()) pass_pulses(h.pass, outputs_, signal_rng_, owns, scratch_);
  h.truth.t_ns = owned_middle_ns(h.pass, owns);
  for (const Edge& e : scratch_) push_edge(e);
  h.done = true;
  // Every pass that can overlap this one is known by now: as for a loop
  // trap, a vehicle that met an oncoming one in the beam is marked.
  for (const Held& o : passes_) {
    const bool meets = o.pass.lane().approaching != h.pass.lane().approaching && o.pass.seen() &&
                       o.pass.strong_from_ns() <= h.pass.strong_to_ns() && h.pass.strong_from_ns() <= o.pass.strong_to_ns();
    if (meets) h.truth.met_oncoming = true;
  }
  truths_.push_back(h.truth);
  std::push_heap(truths_.begin(), truths_.end(), later_truth);
}

// The middle of the time the pass's followable return owned the comparator:
// the signal a detector sees of it (a stronger return cuts it short).
std::int64_t RadarSource::owned_middle_ns(const RadarPass& pass, const std::function<bool(std::int64_t)>& owns) {
  std::int64_t from = -1, to = -1;
  for (std::int64_t t = pass.strong_from_ns(); t <= pass.strong_to_ns(); t += owner_scan_step_ns) {
    if (!owns(t)) continue;
    if (from < 0) from = t;
    to = t;
  }
  return from < 0 ? pass.middle_ns() : from + (to - from) / 2;
}

// Passes that can no longer overlap one still to be generated.
void RadarSource::drop_passed() {
  std::int64_t t = next_arrival_ns();
  for (const Held& h : passes_)
    if (!h.done) t = std::min(t, h.pass.from_ns());
  std::erase_if(passes_, [&](const Held& h) { return h.done && h.pass.to_ns() < t; });
}

void RadarSource::push_edge(const Edge& e) {
  edges_heap_.emplace(e.t_ns, e.input, sequence_++, e.level);
}

void RadarSource::add_noise(std::int64_t before_ns) {
  while (next_noise_ns_ < before_ns && next_noise_ns_ < end_ns_) {
    const bool on_q = outputs_.q && noise_rng_.chance(0.5);
    const InputId input = on_q ? *outputs_.q : outputs_.i;
    const std::int64_t width_ns = to_ns(noise_rng_.uniform(noise_min_us, noise_max_us) * 1e-6);
    push_edge(Edge{next_noise_ns_, input, 1});
    push_edge(Edge{next_noise_ns_ + width_ns, input, 0});
    // Noise is on both outputs, each at the configured rate.
    const double rate = noise_rate_per_s_ * (outputs_.q ? 2.0 : 1.0);
    next_noise_ns_ += std::max<std::int64_t>(1, to_ns(noise_rng_.exponential(rate)));
  }
}

// One comparator output: a second pulse starting while one is high (two
// returns, or noise on a pulse) shows as one longer pulse.
bool RadarSource::redundant(const Edge& e) const {
  const std::size_t channel = e.input == outputs_.i ? 0 : 1;
  return level_[channel] == e.level;
}

std::optional<Edge> RadarSource::next_edge_before(std::int64_t t_ns, InputId input) {
  while (true) {
    const std::int64_t safe = safe_ns();
    add_noise(safe);
    if (!edges_heap_.empty()) {
      const auto& [et, ein, seq, level] = edges_heap_.top();
      const Edge e{et, ein, level};
      if (et < safe && std::tie(et, ein) < std::tie(t_ns, input)) {
        if (!redundant(e)) return e;
        edges_heap_.pop();
        continue;
      }
      if (et < safe) return std::nullopt;  // final, but not before the limit
    }
    if (safe > t_ns || !step()) return std::nullopt;
  }
}

void RadarSource::pop_edge() {
  const auto& [et, ein, seq, level] = edges_heap_.top();
  level_[ein == outputs_.i ? 0 : 1] = level;
  edges_heap_.pop();
  ++edges_;
}

std::optional<TruthVehicle> RadarSource::next_truth_before(std::int64_t t_ns) {
  while (true) {
    const std::int64_t safe = safe_ns();
    if (!truths_.empty() && truths_.front().t_ns < safe) {
      if (truths_.front().t_ns < t_ns) return truths_.front();
      return std::nullopt;
    }
    if (safe > t_ns || !step()) return std::nullopt;
  }
}

void RadarSource::pop_truth() {
  std::pop_heap(truths_.begin(), truths_.end(), later_truth);
  truths_.pop_back();
}

}  // namespace roadspeed::sim
