// The simulation loop: traffic streams and spurious-pulse sources feed the
// loops' presence, the cards turn presence into edges, and everything earlier
// than the horizon (the earliest moment a not-yet-drawn event can touch) is
// final and handed out. The horizon trails the newest arrival by a few
// seconds, so what is held at any moment is a few seconds of traffic.
#include "drivers/sim/simulator.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <queue>
#include <tuple>
#include <vector>

#include "daemon/detect/classify.hpp"
#include "drivers/sim/card_model.hpp"
#include "drivers/sim/presence_union.hpp"
#include "drivers/sim/radar_source.hpp"
#include "drivers/sim/random.hpp"
#include "drivers/sim/traffic_stream.hpp"

namespace roadspeed {
namespace {

using namespace roadspeed::sim;

constexpr std::int64_t never = std::numeric_limits<std::int64_t>::max();
// A vehicle's presence begins at most max_margin_m / speed_floor_mps = 1.2 s
// before its arrival at the first loop; this bounds it with room to spare.
constexpr std::int64_t lead_in_ns = 1'500'000'000;
static_assert(max_margin_m / speed_floor_mps * 1e9 < lead_in_ns);
constexpr double max_hours = 1e6;

// Sub-stream numbers for derive_seed: each source draws from its own
// generator, so adding a trap does not reshuffle another trap's traffic.
constexpr std::uint64_t seed_margins = 1;
constexpr std::uint64_t seed_stream = 1000;
constexpr std::uint64_t seed_chatter = 2000;
constexpr std::uint64_t seed_spurious = 3000;

struct Loop {
  Loop(InputId input, const CardSettings& s, std::uint64_t chatter_seed, std::uint64_t spurious_seed)
      : card(input, s, chatter_seed), spurious_rng(spurious_seed) {}
  PresenceUnion presence;
  DetectorCard card;
  Rng spurious_rng;
  std::int64_t next_spurious_ns = never;
};

struct Stream {
  TrafficStream traffic;
  std::size_t trap = 0;
  Direction direction = Direction::forward;
};

// A vehicle whose truth waits until nothing can meet it any more.
struct PendingTruth {
  TruthVehicle truth;
  std::int64_t last_ns = 0;
};

// What the meeting test needs of a recent vehicle on a two-way trap.
struct Passing {
  std::size_t pool_index = 0;
  std::array<std::int64_t, 2> from{};  // per card: presence span
  std::array<std::int64_t, 2> to{};
  std::int64_t last_ns = 0;
};

class Simulation {
 public:
  Simulation(const Site& site, const SimOptions& options);
  SimStats run(const EdgeSink& on_edge, const TruthSink& on_truth);

 private:
  struct Next {
    std::int64_t key = never;
    Stream* stream = nullptr;
    Loop* loop = nullptr;
  };
  Next next_event();
  void commit_vehicle(Stream& s);
  void commit_spurious(Loop& loop);
  std::int64_t next_spurious(Rng& rng, std::int64_t after_ns) const;
  TruthVehicle make_truth(const SimVehicle& v, const Stream& s) const;
  void meet(const SimVehicle& v, const Stream& s, std::size_t pool_index);
  void advance(std::int64_t horizon_ns, const EdgeSink& on_edge, const TruthSink& on_truth);
  void emit_edges(std::int64_t before_ns, const EdgeSink& on_edge);
  void emit_truths(std::int64_t horizon_ns, const TruthSink& on_truth);
  void emit_radar_edges(std::int64_t before_ns, InputId input, const EdgeSink& on_edge);
  void emit_radar_truths(std::int64_t before_ns, const TruthSink& on_truth);

  const Site& site_;
  const SimOptions& options_;
  std::int64_t end_ns_ = 0;
  std::vector<Loop> loops_;      // two per trap: [2 i] its first input, [2 i + 1] its second
  std::vector<Stream> streams_;
  std::vector<std::array<std::vector<Passing>, 2>> passing_;  // per trap, per travel direction
  std::vector<RadarSource> radars_;

  std::vector<PendingTruth> pool_;
  std::vector<std::size_t> free_;
  using TruthKey = std::tuple<std::int64_t, std::uint16_t, std::uint8_t, std::uint64_t, std::size_t>;
  std::priority_queue<TruthKey, std::vector<TruthKey>, std::greater<>> truths_;
  std::uint64_t sequence_ = 0;
  SimStats stats_;
};

void check_site(const Site& site) {
  std::vector<InputId> used;
  for (const Radar& r : site.radars) {
    used.push_back(r.input);
    if (r.input_q) used.push_back(*r.input_q);
  }
  for (const Trap& t : site.traps) {
    if (!(t.spacing_m > 0 && t.spacing_m <= 100) || !(t.loop_length_m > 0 && t.loop_length_m <= 20))
      throw InputError("site " + site.id + ": trap '" + t.id + "' needs spacing_m in (0, 100] and loop_length_m in (0, 20]");
    for (InputId in : {t.first, t.second}) {
      if (in >= site.inputs.size())
        throw InputError("site " + site.id + ": trap '" + t.id + "' names an input that does not exist");
      if (std::find(used.begin(), used.end(), in) != used.end())
        throw InputError("site " + site.id + ": input '" + site.inputs[in].name +
                         "' is used by two loops; the simulator needs one input per loop");
      used.push_back(in);
    }
  }
}

Simulation::Simulation(const Site& site, const SimOptions& options) : site_(site), options_(options) {
  check_site(site);
  validate_scenario(options.scenario, "scenario");
  if (!(options.hours > 0 && options.hours <= max_hours))
    throw InputError("simulate: hours must be above 0 and at most 1000000 (got " + std::to_string(options.hours) + ")");
  const std::int64_t start = options.start_epoch_ns;
  end_ns_ = start + std::llround(options.hours * 3.6e12);
  const Scenario& sc = options.scenario;
  const CardParams& cards = sc.cards;

  Rng margins(derive_seed(options.seed, seed_margins));
  loops_.reserve(2 * site.traps.size());
  passing_.resize(site.traps.size());
  for (std::size_t i = 0; i < site.traps.size(); ++i) {
    const Trap& trap = site.traps[i];
    std::array<double, 2> margin{};
    for (int c = 0; c < 2; ++c) {
      const auto n = 2 * i + static_cast<std::size_t>(c);
      margin[static_cast<std::size_t>(c)] =
          std::clamp(margins.normal(cards.sensitivity_m, cards.sensitivity_spread_m), 0.0, max_margin_m);
      loops_.emplace_back(c == 0 ? trap.first : trap.second, card_settings(cards, c == 1),
                          derive_seed(options.seed, seed_chatter + n), derive_seed(options.seed, seed_spurious + n));
      Loop& loop = loops_.back();
      if (cards.spurious_per_hour > 0) loop.next_spurious_ns = next_spurious(loop.spurious_rng, start);
    }
    for (int d = 0; d < (trap.one_way() ? 1 : 2); ++d) {
      StreamSetup setup;
      setup.spacing_m = trap.spacing_m;
      setup.loop_length_m = trap.loop_length_m;
      setup.margin_m = margin;
      setup.reverse = d == 1;
      setup.one_way = trap.one_way();
      setup.volume_vph = d == 1 ? sc.traffic.reverse_volume_vph.value_or(sc.traffic.volume_vph) : sc.traffic.volume_vph;
      setup.start_ns = start + lead_in_ns;  // no presence before the start
      setup.end_ns = end_ns_;
      streams_.push_back(Stream{TrafficStream(sc.traffic, cards, setup, derive_seed(options.seed, seed_stream + 2 * i + d)),
                                i, d == 1 ? Direction::reverse : Direction::forward});
    }
  }
  for (std::size_t i = 0; i < site.radars.size(); ++i) radars_.emplace_back(site, i, options, start + lead_in_ns, end_ns_);
}

// The source whose next event comes first, keyed by the earliest moment that
// event can touch a loop; key `never` when every source has ended.
Simulation::Next Simulation::next_event() {
  Next next;
  for (Stream& s : streams_)
    if (const SimVehicle* v = s.traffic.peek(); v && v->t_ns - lead_in_ns < next.key)
      next = Next{v->t_ns - lead_in_ns, &s, nullptr};
  for (Loop& l : loops_)
    if (l.next_spurious_ns < end_ns_ && l.next_spurious_ns < next.key) next = Next{l.next_spurious_ns, nullptr, &l};
  return next;
}

SimStats Simulation::run(const EdgeSink& on_edge, const TruthSink& on_truth) {
  Next next = next_event();
  while (next.key != never) {
    if (next.stream) commit_vehicle(*next.stream);
    if (next.loop) commit_spurious(*next.loop);
    next = next_event();
    advance(next.key, on_edge, on_truth);
  }
  // What the radars have after the last loop event.
  emit_radar_truths(never, on_truth);
  emit_radar_edges(never, std::numeric_limits<InputId>::max(), on_edge);
  for (const RadarSource& r : radars_) stats_.vehicles += r.vehicles();
  return stats_;
}

// Radar edges that sort before (before_ns, input), merged across radars.
void Simulation::emit_radar_edges(std::int64_t before_ns, InputId input, const EdgeSink& on_edge) {
  while (true) {
    RadarSource* best = nullptr;
    std::optional<Edge> first;
    for (RadarSource& r : radars_) {
      const auto e = r.next_edge_before(before_ns, input);
      if (e && (!first || std::tie(e->t_ns, e->input) < std::tie(first->t_ns, first->input))) {
        first = e;
        best = &r;
      }
    }
    if (!best) return;
    if (on_edge) on_edge(*first);
    best->pop_edge();
    ++stats_.edges;
  }
}

void Simulation::emit_radar_truths(std::int64_t before_ns, const TruthSink& on_truth) {
  while (true) {
    RadarSource* best = nullptr;
    std::optional<TruthVehicle> first;
    for (RadarSource& r : radars_) {
      const auto t = r.next_truth_before(before_ns);
      if (t && (!first || t->t_ns < first->t_ns)) {
        first = t;
        best = &r;
      }
    }
    if (!best) return;
    if (on_truth) on_truth(*first);
    best->pop_truth();
  }
}

void Simulation::commit_vehicle(Stream& s) {
  const SimVehicle v = s.traffic.take();
  for (int k = 0; k < 2; ++k) {
    if (v.missed_loop == k) continue;
    Loop& loop = loops_[2 * s.trap + static_cast<std::size_t>(v.card_of(k))];
    for (int seg = 0; seg < v.segments; ++seg)
      loop.presence.add(v.presence[static_cast<std::size_t>(k)][static_cast<std::size_t>(seg)]);
  }
  std::size_t index = pool_.size();
  if (!free_.empty()) {
    index = free_.back();
    free_.pop_back();
    pool_[index] = PendingTruth{make_truth(v, s), v.last_ns};
  } else {
    pool_.push_back(PendingTruth{make_truth(v, s), v.last_ns});
  }
  if (!site_.traps[s.trap].one_way()) meet(v, s, index);
  const TruthVehicle& t = pool_[index].truth;
  truths_.emplace(t.t_ns, t.detector, static_cast<std::uint8_t>(t.direction), sequence_++, index);
  ++stats_.vehicles;
  stats_.max_pending_vehicles = std::max(stats_.max_pending_vehicles, truths_.size());
}

void Simulation::commit_spurious(Loop& loop) {
  Rng& rng = loop.spurious_rng;
  const CardParams& c = options_.scenario.cards;
  const std::int64_t t = loop.next_spurious_ns;
  const double length_ms = rng.uniform(c.spurious_min_ms, c.spurious_max_ms);
  const std::int32_t j_on = draw_jitter_ns(rng, c.jitter_ms);
  const std::int32_t j_off = draw_jitter_ns(rng, c.jitter_ms);
  loop.presence.add(Interval{t, t + std::llround(length_ms * 1e6), j_on, j_off});
  loop.next_spurious_ns = next_spurious(rng, t);
}

// The next spurious pulse after `after_ns`; `never` when past the end.
std::int64_t Simulation::next_spurious(Rng& rng, std::int64_t after_ns) const {
  const double gap_s = rng.exponential(options_.scenario.cards.spurious_per_hour / 3600.0);
  if (gap_s >= static_cast<double>(end_ns_ - after_ns) / 1e9) return never;
  return after_ns + std::llround(gap_s * 1e9);
}

TruthVehicle Simulation::make_truth(const SimVehicle& v, const Stream& s) const {
  const Trap& trap = site_.traps[s.trap];
  TruthVehicle t;
  t.t_ns = v.front_ns;
  t.detector = static_cast<std::uint16_t>(s.trap);
  t.direction = v.wrong_way ? Direction::forward : s.direction;
  t.wrong_way = v.wrong_way;
  t.speed_kmh = v.speed_kmh;
  t.length_m = v.body.length_m;
  t.vehicle_class = classify_length(v.body.length_m, site_.classes);
  t.accel_mps2 = v.motion.a_mps2;
  t.missed_first = v.missed_loop == 0;
  t.missed_second = v.missed_loop == 1;
  t.tailgating = v.headway_s < 1.0;
  if (v.missed_loop >= 0) return t;
  // The edges this vehicle alone makes on the two cards (no chatter).
  std::array<std::int64_t, 2> on{};
  std::array<std::int64_t, 2> off{};
  for (std::size_t k = 0; k < 2; ++k) {
    const DetectorCard& card = loops_[2 * s.trap + static_cast<std::size_t>(v.card_of(static_cast<int>(k)))].card;
    const Interval& first = v.presence[k][0];
    const Interval& last = v.presence[k][static_cast<std::size_t>(v.segments - 1)];
    on[k] = card.respond(first.start_ns, 1, first.jitter_on_ns);
    off[k] = card.respond(last.end_ns, 0, last.jitter_off_ns);
  }
  const double v_true = v.speed_kmh / 3.6;
  auto error_pct = [&](double transit_ns) -> std::optional<double> {
    if (!(transit_ns > 0)) return std::nullopt;
    const double v_est = trap.spacing_m / (transit_ns * 1e-9);
    return 100.0 * (v_est - v_true) / v_true;
  };
  const auto lead = static_cast<double>(on[1] - on[0]);
  const auto trail = static_cast<double>(off[1] - off[0]);
  t.lead_err_pct = error_pct(lead);
  t.both_err_pct = error_pct(0.5 * (lead + trail));
  return t;
}

// Marks this vehicle and every oncoming one whose presence overlapped its own
// on either loop of a trap that spans the road.
void Simulation::meet(const SimVehicle& v, const Stream& s, std::size_t pool_index) {
  Passing p;
  p.pool_index = pool_index;
  p.last_ns = v.last_ns;
  for (int k = 0; k < 2; ++k) {
    const auto c = static_cast<std::size_t>(v.card_of(k));
    p.from[c] = v.presence[static_cast<std::size_t>(k)][0].start_ns;
    p.to[c] = v.presence[static_cast<std::size_t>(k)][static_cast<std::size_t>(v.segments - 1)].end_ns;
  }
  const std::size_t way = v.travels_reverse ? 1 : 0;
  for (const Passing& o : passing_[s.trap][1 - way]) {
    bool met = false;
    for (std::size_t c = 0; c < 2; ++c) met = met || (p.from[c] <= o.to[c] && o.from[c] <= p.to[c]);
    if (!met) continue;
    pool_[o.pool_index].truth.met_oncoming = true;
    pool_[pool_index].truth.met_oncoming = true;
  }
  passing_[s.trap][way].push_back(p);
}

void Simulation::advance(std::int64_t horizon_ns, const EdgeSink& on_edge, const TruthSink& on_truth) {
  std::size_t held = 0;
  for (Loop& l : loops_) {
    l.presence.advance(horizon_ns, l.card);
    held += l.presence.queued() + l.card.queued();
  }
  stats_.max_pending_edges = std::max(stats_.max_pending_edges, held);
  // Nothing still to come is present before the horizon: who has left by
  // then has met everyone it will meet.
  for (auto& ways : passing_)
    for (auto& list : ways)
      std::erase_if(list, [&](const Passing& p) { return p.last_ns < horizon_ns; });
  emit_truths(horizon_ns, on_truth);
  std::int64_t complete = horizon_ns;
  for (const Loop& l : loops_) complete = std::min(complete, l.card.complete_before());
  emit_edges(complete, on_edge);
}

void Simulation::emit_truths(std::int64_t horizon_ns, const TruthSink& on_truth) {
  while (!truths_.empty()) {
    const std::size_t index = std::get<4>(truths_.top());
    const PendingTruth& p = pool_[index];
    if (!(p.truth.t_ns < horizon_ns && p.last_ns < horizon_ns)) break;
    emit_radar_truths(p.truth.t_ns, on_truth);
    if (on_truth) on_truth(p.truth);
    truths_.pop();
    free_.push_back(index);
  }
}

void Simulation::emit_edges(std::int64_t before_ns, const EdgeSink& on_edge) {
  while (true) {
    DetectorCard* next = nullptr;
    for (Loop& l : loops_) {
      if (!l.card.has_output()) continue;
      const Edge& e = l.card.front();
      if (e.t_ns >= before_ns) continue;
      if (!next || e.t_ns < next->front().t_ns ||
          (e.t_ns == next->front().t_ns && e.input < next->front().input))
        next = &l.card;
    }
    if (!next) return;
    emit_radar_edges(next->front().t_ns, next->front().input, on_edge);
    if (on_edge) on_edge(next->front());
    next->pop();
    ++stats_.edges;
  }
}

}  // namespace

SimStats simulate(const Site& site, const SimOptions& options, const EdgeSink& on_edge, const TruthSink& on_truth) {
  Simulation sim(site, options);
  return sim.run(on_edge, on_truth);
}

}  // namespace roadspeed
