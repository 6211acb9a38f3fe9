#include "calibration/accuracy.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <string_view>
#include <tuple>
#include <utility>

#include "daemon/stats/percentile.hpp"

namespace roadspeed::accuracy {
namespace {

using Key = std::pair<std::string, std::string>;  // detector, direction

struct Candidate {
  std::int64_t distance_ns;
  std::int64_t truth_t_ns;
  std::int64_t detected_t_ns;
  std::size_t truth;
  std::size_t detected;

  bool operator<(const Candidate& o) const {
    return std::tie(distance_ns, truth_t_ns, detected_t_ns, truth, detected) <
           std::tie(o.distance_ns, o.truth_t_ns, o.detected_t_ns, o.truth, o.detected);
  }
};

std::optional<double> pct(std::size_t part, std::size_t whole) {
  if (whole == 0) return std::nullopt;
  return 100.0 * static_cast<double>(part) / static_cast<double>(whole);
}

// A detection seen by one loop of a trap: the loop (0: the trap's `first`
// input, 1: its `second`) and the trap.
struct OneLoop {
  int loop = -1;  // -1: not a one-loop detection (or no geometry for it)
  const TrapLoops* trap = nullptr;
};

bool has_flag(const std::string& flags, std::string_view flag) {
  std::size_t from = 0;
  while (from <= flags.size()) {
    const std::size_t end = std::min(flags.find(';', from), flags.size());
    if (std::string_view(flags).substr(from, end - from) == flag) return true;
    from = end + 1;
  }
  return false;
}

OneLoop one_loop(const DetectedRow& d, const std::vector<TrapLoops>& traps) {
  const bool missed_second = has_flag(d.flags, "missed_second");
  if (!missed_second && !has_flag(d.flags, "missed_first")) return {};
  for (const TrapLoops& trap : traps) {
    if (trap.detector != d.detector) continue;
    // The first loop met in the reported direction; the loop that saw it is
    // that one unless the first was missed.
    const int first_met = !trap.reverse.empty() && d.direction == trap.reverse ? 1 : 0;
    return {missed_second ? first_met : 1 - first_met, &trap};
  }
  return {};
}

// When the true vehicle reached `loop`: its time if that loop was the first
// it met (wrong-way vehicles, reported `forward`, meet `second` first), one
// true transit later if it was its second.
std::int64_t truth_time_at(const TruthRow& t, const OneLoop& seen) {
  const TrapLoops& trap = *seen.trap;
  const int first_met = t.wrong_way || (!trap.reverse.empty() && t.direction == trap.reverse) ? 1 : 0;
  if (seen.loop == first_met || !(t.speed_kmh > 0)) return t.t_ns;
  return t.t_ns + std::llround(trap.spacing_m / (t.speed_kmh / 3.6) * 1e9);
}

// Candidates of one detector and direction; both index lists in time order.
void add_candidates(const std::vector<TruthRow>& truth, const std::vector<DetectedRow>& detected,
                    const std::vector<std::size_t>& ti, const std::vector<std::size_t>& di,
                    const std::vector<OneLoop>& seen, std::int64_t tolerance_ns, std::vector<Candidate>& out) {
  std::size_t first = 0;  // first detection not too early for the current truth
  for (std::size_t t : ti) {
    const std::int64_t tt = truth[t].t_ns;
    while (first < di.size() && detected[di[first]].t_ns < tt - tolerance_ns) ++first;
    for (std::size_t k = first; k < di.size() && detected[di[k]].t_ns <= tt + tolerance_ns; ++k) {
      if (seen[di[k]].loop >= 0) continue;
      const std::int64_t dt = detected[di[k]].t_ns;
      out.push_back({dt > tt ? dt - tt : tt - dt, tt, dt, t, di[k]});
    }
  }
  // One-loop detections (a few in a thousand): against the moment each true
  // vehicle reached the loop that saw it, at most one 3 km/h transit after
  // its true time.
  for (std::size_t d : di) {
    if (seen[d].loop < 0) continue;
    const std::int64_t dt = detected[d].t_ns;
    const std::int64_t longest_transit = std::llround(seen[d].trap->spacing_m / (3 / 3.6) * 1e9);
    auto it = std::lower_bound(ti.begin(), ti.end(), dt - tolerance_ns - longest_transit,
                               [&](std::size_t t, std::int64_t v) { return truth[t].t_ns < v; });
    for (; it != ti.end() && truth[*it].t_ns <= dt + tolerance_ns; ++it) {
      const std::int64_t at = truth_time_at(truth[*it], seen[d]);
      const std::int64_t distance = dt > at ? dt - at : at - dt;
      if (distance <= tolerance_ns) out.push_back({distance, truth[*it].t_ns, dt, *it, d});
    }
  }
}

}  // namespace

namespace {

// One matching pass: candidates grouped by `key`, nearest first, skipping
// rows an earlier pass took.
template <typename KeyOf>
void match_pass(const std::vector<TruthRow>& truth, const std::vector<DetectedRow>& detected,
                const std::vector<OneLoop>& seen, std::int64_t tolerance_ns, KeyOf key_of, bool same_direction,
                std::vector<bool>& truth_taken,
                std::vector<bool>& detected_taken, std::vector<Match>& matches) {
  std::map<Key, std::pair<std::vector<std::size_t>, std::vector<std::size_t>>> groups;
  for (std::size_t i = 0; i < truth.size(); ++i)
    if (!truth_taken[i]) groups[key_of(truth[i])].first.push_back(i);
  for (std::size_t i = 0; i < detected.size(); ++i)
    if (!detected_taken[i]) groups[key_of(detected[i])].second.push_back(i);

  std::vector<Candidate> candidates;
  for (auto& [key, lists] : groups) {
    auto& [ti, di] = lists;
    std::stable_sort(ti.begin(), ti.end(),
                     [&](std::size_t a, std::size_t b) { return truth[a].t_ns < truth[b].t_ns; });
    std::stable_sort(di.begin(), di.end(), [&](std::size_t a, std::size_t b) {
      return detected[a].t_ns < detected[b].t_ns;
    });
    add_candidates(truth, detected, ti, di, seen, tolerance_ns, candidates);
  }
  std::sort(candidates.begin(), candidates.end());
  for (const Candidate& c : candidates) {
    if (truth_taken[c.truth] || detected_taken[c.detected]) continue;
    truth_taken[c.truth] = detected_taken[c.detected] = true;
    matches.push_back({c.truth, c.detected, same_direction});
  }
}

}  // namespace

std::vector<Match> match(const std::vector<TruthRow>& truth, const std::vector<DetectedRow>& detected,
                         std::int64_t tolerance_ns, const std::vector<TrapLoops>& traps) {
  std::vector<bool> truth_taken(truth.size()), detected_taken(detected.size());
  std::vector<OneLoop> seen(detected.size());
  if (!traps.empty())
    for (std::size_t i = 0; i < detected.size(); ++i) seen[i] = one_loop(detected[i], traps);
  std::vector<Match> matches;
  match_pass(truth, detected, seen, tolerance_ns, [](const auto& r) { return Key{r.detector, r.direction}; }, true,
             truth_taken, detected_taken, matches);
  // A vehicle only one loop of a two-way trap saw has no measurable
  // direction: it still counts, and direction agreement is reported apart.
  match_pass(truth, detected, seen, tolerance_ns, [](const auto& r) { return Key{r.detector, ""}; }, false,
             truth_taken, detected_taken, matches);
  std::sort(matches.begin(), matches.end(), [&](const Match& a, const Match& b) {
    return std::tie(truth[a.truth].t_ns, a.truth) < std::tie(truth[b.truth].t_ns, b.truth);
  });
  return matches;
}

Metrics score(const std::vector<TruthRow>& truth, const std::vector<DetectedRow>& detected,
              const std::vector<Match>& matches) {
  Metrics m;
  m.truth_vehicles = truth.size();
  m.detections = detected.size();
  m.matched = matches.size();
  m.truth_non_oncoming = static_cast<std::size_t>(
      std::count_if(truth.begin(), truth.end(), [](const TruthRow& t) { return !t.met_oncoming; }));

  std::size_t matched_oncoming = 0, with_length = 0, classes_agree = 0, directions_agree = 0;
  std::vector<double> speed_err, lead_err, both_err, length_bias;
  for (const Match& mt : matches) {
    const TruthRow& t = truth.at(mt.truth);
    const DetectedRow& d = detected.at(mt.detected);
    if (d.vehicle_class == t.vehicle_class) ++classes_agree;
    if (mt.same_direction) ++directions_agree;
    if (d.length_m) {
      ++with_length;
      length_bias.push_back(*d.length_m - t.length_m);
    }
    if (t.met_oncoming) {
      ++matched_oncoming;
      continue;
    }
    ++m.matched_non_oncoming;
    if (!d.speed_kmh || t.speed_kmh <= 0 || !mt.same_direction) continue;
    speed_err.push_back(100.0 * std::abs(*d.speed_kmh / t.speed_kmh - 1.0));
    if (t.lead_err_pct) lead_err.push_back(std::abs(*t.lead_err_pct));
    if (t.both_err_pct) both_err.push_back(std::abs(*t.both_err_pct));
  }

  m.detections_for_precision = m.detections - matched_oncoming;
  m.speed_errors = speed_err.size();
  m.recall_pct = pct(m.matched_non_oncoming, m.truth_non_oncoming);
  m.precision_pct = pct(m.matched_non_oncoming, m.detections_for_precision);
  m.recall_all_pct = pct(m.matched, m.truth_vehicles);
  m.speed_share_pct = pct(m.speed_errors, m.matched_non_oncoming);
  m.p95_err_pct = nearest_rank_percentile(speed_err, 95);
  m.p50_err_pct = nearest_rank_percentile(speed_err, 50);

  const auto lead_p95 = nearest_rank_percentile(lead_err, 95);
  const auto both_p95 = nearest_rank_percentile(both_err, 95);
  if (lead_p95 && both_p95) m.floor_pct = std::min(*lead_p95, *both_p95);
  else m.floor_pct = lead_p95 ? lead_p95 : both_p95;
  if (m.p95_err_pct && m.floor_pct && *m.floor_pct > 0)
    m.p95_floor_ratio = *m.p95_err_pct / *m.floor_pct;

  if (auto median = nearest_rank_percentile(length_bias, 50)) {
    m.length_bias_m = median;
    const auto within = std::count_if(length_bias.begin(), length_bias.end(), [&](double b) {
      return std::abs(b - *median) <= length_band_m + 1e-9;  // lengths are rounded to cm
    });
    m.length_within_pct = pct(static_cast<std::size_t>(within), with_length);
  }
  m.class_agree_pct = pct(classes_agree, m.matched);
  m.direction_agree_pct = pct(directions_agree, m.matched);
  return m;
}

}  // namespace roadspeed::accuracy
