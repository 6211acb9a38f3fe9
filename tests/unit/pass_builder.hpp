// Test helper: the exact loop edges of vehicles passing a trap, from the
// geometry alone (no card delays or noise), for checking detection against.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <utility>
#include <vector>

#include "daemon/site/site.hpp"
#include "drivers/edge.hpp"

namespace roadspeed::test {

struct Pass {
  double t0_s = 0;            // front reaches the first loop met
  double speed_mps = 14;
  double accel_mps2 = 0;
  bool reverse = false;       // meets the trap's `second` loop first
  // Metal along the body from the front: [from, to) in metres.
  std::vector<std::pair<double, double>> footprint{{0.0, 4.0}};
};

inline constexpr std::int64_t t_base_ns = 1764158400000000000;

inline std::int64_t to_epoch_ns(double s) { return t_base_ns + std::llround(s * 1e9); }

// Time after t0 at which the front has travelled `d` metres.
inline double time_to_travel(const Pass& p, double d) {
  if (p.accel_mps2 == 0) return d / p.speed_mps;
  return (-p.speed_mps + std::sqrt(p.speed_mps * p.speed_mps + 2 * p.accel_mps2 * d)) / p.accel_mps2;
}

// Presence intervals (s) of one pass on the loop starting `loop_start_m` metres
// after the first loop's leading edge, in travel coordinates.
inline std::vector<std::pair<double, double>> presence(const Pass& p, double loop_start_m, double loop_len_m) {
  std::vector<std::pair<double, double>> out;
  for (auto [from, to] : p.footprint)
    out.emplace_back(p.t0_s + time_to_travel(p, loop_start_m + from),
                     p.t0_s + time_to_travel(p, loop_start_m + loop_len_m + to));
  return out;
}

// Sorted edges of all passes, presence of overlapping vehicles merged per loop.
inline std::vector<Edge> edges_of(const Trap& trap, const std::vector<Pass>& passes) {
  std::vector<Edge> edges;
  for (int input : {0, 1}) {
    std::vector<std::pair<double, double>> iv;
    for (const Pass& p : passes) {
      const bool first_met = (input == 0) != p.reverse;
      auto pr = presence(p, first_met ? 0.0 : trap.spacing_m, trap.loop_length_m);
      iv.insert(iv.end(), pr.begin(), pr.end());
    }
    std::sort(iv.begin(), iv.end());
    std::vector<std::pair<double, double>> merged;
    for (auto i : iv) {
      if (!merged.empty() && i.first <= merged.back().second)
        merged.back().second = std::max(merged.back().second, i.second);
      else
        merged.push_back(i);
    }
    const InputId id = input == 0 ? trap.first : trap.second;
    for (auto [on, off] : merged) {
      edges.push_back(Edge{to_epoch_ns(on), id, 1});
      edges.push_back(Edge{to_epoch_ns(off), id, 0});
    }
  }
  std::stable_sort(edges.begin(), edges.end(), [](const Edge& a, const Edge& b) { return a.t_ns < b.t_ns; });
  return edges;
}

inline Site two_loop_site(bool one_way = false) {
  Site s;
  s.id = "test-site";
  s.timezone = "UTC";
  s.speed_limit_kmh = 30;
  s.inputs = {Input{"loop_a", "gpiochip0", 17, true, Bias::as_is}, Input{"loop_b", "gpiochip0", 27, true, Bias::as_is}};
  Trap t;
  t.id = "t1";
  t.first = 0;
  t.second = 1;
  t.spacing_m = 3.0;
  t.loop_length_m = 1.5;
  t.forward = "northbound";
  t.reverse = one_way ? "" : "southbound";
  s.traps.push_back(t);
  return s;
}

// The same trap, with a radar (input 2, "radar_i") beside it.
inline Site two_loop_site_with_radar() {
  Site s = two_loop_site();
  s.inputs.push_back(Input{"radar_i", "gpiochip0", 5, false, Bias::as_is});
  Radar r;
  r.id = "r1";
  r.input = 2;
  s.radars.push_back(r);
  return s;
}

}  // namespace roadspeed::test
