// The traffic simulator: determinism, streaming order, volumes, the noise
// model's effects on the truth, and scenario files.
#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "drivers/sim/simulator.hpp"

using namespace roadspeed;

namespace {

Input input(const std::string& name, unsigned line) {
  Input in;
  in.name = name;
  in.chip = "gpiochip0";
  in.line = line;
  return in;
}

Trap trap(const std::string& id, InputId first, InputId second, bool two_way) {
  Trap t;
  t.id = id;
  t.first = first;
  t.second = second;
  t.spacing_m = 3.0;
  t.loop_length_m = 1.5;
  t.forward = "northbound";
  t.reverse = two_way ? "southbound" : "";
  return t;
}

// A street whose one trap spans both directions.
Site two_way_site() {
  Site s;
  s.id = "test-villa";
  s.inputs = {input("loop_a", 17), input("loop_b", 27)};
  s.traps = {trap("t1", 0, 1, true)};
  return s;
}

// A one-way street: one trap per lane, or a single lane.
Site one_way_site(int lanes = 1) {
  Site s;
  s.id = "test-arterial";
  for (int i = 0; i < lanes; ++i) {
    const auto n = static_cast<InputId>(2 * i);
    s.inputs.push_back(input("lane" + std::to_string(i) + "_a", 2u * static_cast<unsigned>(i)));
    s.inputs.push_back(input("lane" + std::to_string(i) + "_b", 2u * static_cast<unsigned>(i) + 1));
    s.traps.push_back(trap("lane" + std::to_string(i + 1), n, static_cast<InputId>(n + 1), false));
  }
  return s;
}

// One trap each way of the spectrum: a two-way trap and a one-way one.
Site mixed_site() {
  Site s = two_way_site();
  s.inputs.push_back(input("loop_c", 5));
  s.inputs.push_back(input("loop_d", 6));
  s.traps.push_back(trap("t2", 2, 3, false));
  return s;
}

struct Run {
  std::vector<Edge> edges;
  std::vector<TruthVehicle> truths;
  SimStats stats;
};

Run run(const Site& site, const SimOptions& options) {
  Run r;
  r.stats = simulate(
      site, options, [&](const Edge& e) { r.edges.push_back(e); },
      [&](const TruthVehicle& v) { r.truths.push_back(v); });
  return r;
}

SimOptions options(double hours, std::uint64_t seed) {
  SimOptions o;
  o.hours = hours;
  o.seed = seed;
  return o;
}

// Only vehicles of `kind`; no noise besides what a test turns on.
Scenario only(VehicleKind kind) {
  Scenario s;
  for (auto& k : s.traffic.kinds) k.share = 0;
  s.traffic.kind(kind).share = 1;
  s.traffic.diurnal = false;
  s.traffic.platoon_share = 0;
  s.traffic.wrong_way_share = 0;
  s.cards.chatter_prob = 0;
  s.cards.spurious_per_hour = 0;
  s.cards.two_wheeler_miss_prob = 0;
  return s;
}

double mean(const std::vector<double>& xs) {
  double sum = 0;
  for (double x : xs) sum += x;
  return xs.empty() ? 0 : sum / static_cast<double>(xs.size());
}

// Rising edges of `input` in [from, to).
int rising(const std::vector<Edge>& edges, InputId input, std::int64_t from, std::int64_t to) {
  int n = 0;
  for (const Edge& e : edges)
    if (e.input == input && e.level == 1 && e.t_ns >= from && e.t_ns < to) ++n;
  return n;
}

// Truths with no other vehicle of the run within `seconds` of them.
std::vector<TruthVehicle> isolated(const std::vector<TruthVehicle>& truths, double seconds) {
  std::vector<TruthVehicle> out;
  const auto gap = static_cast<std::int64_t>(seconds * 1e9);
  for (std::size_t i = 0; i < truths.size(); ++i) {
    const bool before = i > 0 && truths[i].t_ns - truths[i - 1].t_ns < gap;
    const bool after = i + 1 < truths.size() && truths[i + 1].t_ns - truths[i].t_ns < gap;
    if (!before && !after) out.push_back(truths[i]);
  }
  return out;
}

constexpr std::int64_t s_ns = 1'000'000'000;

}  // namespace

TEST_CASE("the same seed gives the same edges and truth, another seed does not", "[sim]") {
  const Site site = mixed_site();
  const Run a = run(site, options(2, 7));
  const Run b = run(site, options(2, 7));
  const Run c = run(site, options(2, 8));
  REQUIRE(a.edges.size() > 1000);
  CHECK(a.edges == b.edges);
  REQUIRE(a.truths.size() == b.truths.size());
  for (std::size_t i = 0; i < a.truths.size(); ++i) {
    CHECK(a.truths[i].t_ns == b.truths[i].t_ns);
    CHECK(a.truths[i].speed_kmh == b.truths[i].speed_kmh);
    CHECK(a.truths[i].lead_err_pct == b.truths[i].lead_err_pct);
  }
  CHECK(a.edges != c.edges);
}

TEST_CASE("a fixed seed gives the same traffic on every platform", "[sim]") {
  // Golden values: the distributions use no libm function and no standard
  // distribution (and the build has -ffp-contract=off), so these hold on
  // x86-64 and arm64 alike. A change to the model changes them on purpose:
  // update them in the same commit and say why.
  const Site site = two_way_site();
  const Run r = run(site, options(0.25, 1));
  REQUIRE(!r.truths.empty());
  std::ostringstream row;
  write_truth_row(row, site, r.truths.front());
  CHECK(row.str() == "1764158414178699937,t1,southbound,32.151,6.51,van,0.230,0,0,0,0,0,-0.1719,0.6727\n");
  std::uint64_t hash = 14695981039346656037ull;  // FNV-1a over every edge
  for (const Edge& e : r.edges)
    for (std::uint64_t x : {static_cast<std::uint64_t>(e.t_ns), std::uint64_t{e.input}, std::uint64_t{e.level}})
      hash = (hash ^ x) * 1099511628211ull;
  CHECK(r.edges.size() == 386u);
  CHECK(hash == 15576579764522176270ull);
}

TEST_CASE("edges come in time order and alternate 1/0 on every input", "[sim]") {
  Scenario noisy;
  noisy.cards.chatter_prob = 0.5;
  noisy.cards.spurious_per_hour = 20;
  noisy.cards.jitter_ms = 4;
  noisy.cards.two_wheeler_miss_prob = 0.5;
  noisy.traffic.platoon_share = 0.5;
  for (const Scenario& sc : {Scenario{}, noisy}) {
    SimOptions o = options(6, 3);
    o.scenario = sc;
    const Site site = mixed_site();
    const Run r = run(site, o);
    REQUIRE(r.edges.size() > 1000);
    std::vector<std::uint8_t> level(site.inputs.size(), 0);
    bool ordered = true;
    bool alternating = true;
    for (std::size_t i = 0; i < r.edges.size(); ++i) {
      const Edge& e = r.edges[i];
      if (i > 0 && (e.t_ns < r.edges[i - 1].t_ns ||
                    (e.t_ns == r.edges[i - 1].t_ns && e.input <= r.edges[i - 1].input)))
        ordered = false;
      if (e.level == level[e.input]) alternating = false;
      level[e.input] = e.level;
    }
    CHECK(ordered);
    CHECK(alternating);
    for (std::uint8_t l : level) CHECK(l == 0);  // every presence ends
    CHECK(r.edges.front().t_ns >= o.start_epoch_ns);
  }
}

TEST_CASE("truth rows come in time order with the trap's direction names", "[sim]") {
  const Site site = mixed_site();
  const Run r = run(site, options(3, 11));
  REQUIRE(r.truths.size() > 500);
  for (std::size_t i = 1; i < r.truths.size(); ++i) REQUIRE(r.truths[i - 1].t_ns <= r.truths[i].t_ns);
  std::ostringstream csv;
  write_truth_header(csv);
  for (const auto& t : r.truths) write_truth_row(csv, site, t);
  std::istringstream in(csv.str());
  std::string line;
  std::getline(in, line);
  CHECK(line ==
        "time_ns,detector,direction,speed_kmh,length_m,class,accel_mps2,wrong_way,met_oncoming,"
        "missed_first,missed_second,tailgating,lead_err_pct,both_err_pct");
  std::map<std::string, int> directions;
  while (std::getline(in, line)) {
    REQUIRE(std::count(line.begin(), line.end(), ',') == 13);
    const auto first = line.find(',');
    const auto second = line.find(',', first + 1);
    const auto third = line.find(',', second + 1);
    ++directions[line.substr(first + 1, third - first - 1)];
  }
  CHECK(directions["t1,northbound"] > 100);
  CHECK(directions["t1,southbound"] > 100);
  CHECK(directions["t2,northbound"] > 100);
  CHECK(directions.count("t2,southbound") == 0);
}

TEST_CASE("a truth row is formatted as documented", "[sim]") {
  const Site site = two_way_site();
  TruthVehicle v;
  v.t_ns = 1764158400123456789;
  v.direction = Direction::reverse;
  v.speed_kmh = 36.12345;
  v.length_m = 4.567;
  v.vehicle_class = VehicleClass::car;
  v.accel_mps2 = -0.25;
  v.met_oncoming = true;
  v.tailgating = true;
  v.lead_err_pct = -0.123456;
  std::ostringstream out;
  write_truth_row(out, site, v);
  CHECK(out.str() == "1764158400123456789,t1,southbound,36.123,4.57,car,-0.250,0,1,0,0,1,-0.1235,\n");
}

TEST_CASE("volumes over a long run match the scenario within a few per cent", "[sim]") {
  SimOptions o = options(100, 5);
  o.scenario.traffic.diurnal = false;
  o.scenario.traffic.volume_vph = 300;
  o.scenario.traffic.reverse_volume_vph = 150;
  const Run r = run(two_way_site(), o);
  int forward = 0;
  int reverse = 0;
  for (const auto& t : r.truths) (t.direction == Direction::forward ? forward : reverse)++;
  CHECK(forward == Approx(30000).epsilon(0.03));
  CHECK(reverse == Approx(15000).epsilon(0.03));
}

TEST_CASE("the diurnal profile shapes the hourly volume", "[sim]") {
  SimOptions o = options(24 * 5, 6);
  o.start_epoch_ns = 1764115200000000000;  // 2025-11-26T00:00:00Z
  o.scenario.traffic.utc_offset_h = 0;
  const Run r = run(one_way_site(), o);
  std::array<int, 24> by_hour{};
  for (const auto& t : r.truths) ++by_hour[static_cast<std::size_t>((t.t_ns - o.start_epoch_ns) / (3600 * s_ns) % 24)];
  // Integral of the interpolated profile over hour h: p[h-1]/8 + 3 p[h]/4 + p[h+1]/8.
  const auto& p = o.scenario.traffic.profile;
  for (std::size_t h : {3u, 7u, 13u, 17u, 22u}) {
    const double factor = p[(h + 23) % 24] / 8 + 0.75 * p[h] + p[(h + 1) % 24] / 8;
    const double expected = 5 * o.scenario.traffic.volume_vph * factor;
    INFO("hour " << h << " expected " << expected << " got " << by_hour[h]);
    CHECK(std::abs(by_hour[h] - expected) < 4 * std::sqrt(expected) + 0.03 * expected);
  }
}

TEST_CASE("leading-edge error is unbiased without a card offset", "[sim]") {
  SimOptions o = options(30, 9);
  o.scenario.cards.second_offset_ms = 0;
  o.scenario.cards.sensitivity_spread_m = 0;
  const Run r = run(two_way_site(), o);
  std::vector<double> fwd;
  std::vector<double> rev;
  for (const auto& t : r.truths)
    if (t.lead_err_pct) (t.direction == Direction::forward ? fwd : rev).push_back(*t.lead_err_pct);
  REQUIRE(fwd.size() > 2000);
  REQUIRE(rev.size() > 2000);
  CHECK(std::abs(mean(fwd)) < 0.05);
  CHECK(std::abs(mean(rev)) < 0.05);
}

TEST_CASE("a card offset shifts the leading-edge error in opposite directions", "[sim]") {
  SimOptions o = options(30, 9);
  o.scenario.cards.second_offset_ms = 2.0;
  o.scenario.cards.sensitivity_spread_m = 0;
  const Run r = run(two_way_site(), o);
  std::vector<double> fwd;
  std::vector<double> rev;
  std::vector<double> fwd_residual;
  std::vector<double> rev_residual;
  for (const auto& t : r.truths) {
    if (!t.lead_err_pct) continue;
    // Forward meets the slower (second) card last: the transit looks longer.
    const double transit_s = 3.0 / (t.speed_kmh / 3.6);
    const double sign = t.direction == Direction::forward ? 1 : -1;
    const double expected = 100 * (transit_s / (transit_s + sign * 0.002) - 1);
    (t.direction == Direction::forward ? fwd : rev).push_back(*t.lead_err_pct);
    (t.direction == Direction::forward ? fwd_residual : rev_residual).push_back(*t.lead_err_pct - expected);
  }
  CHECK(mean(fwd) < -0.4);
  CHECK(mean(rev) > 0.4);
  CHECK(std::abs(mean(fwd_residual)) < 0.05);
  CHECK(std::abs(mean(rev_residual)) < 0.05);
}

TEST_CASE("vehicles meet oncoming traffic only on a trap that spans both directions", "[sim]") {
  SimOptions o = options(10, 4);
  o.scenario.traffic.wrong_way_share = 0.05;
  const Run r = run(mixed_site(), o);
  int met_two_way = 0;
  int met_one_way = 0;
  int wrong_way = 0;
  for (const auto& t : r.truths) {
    if (t.met_oncoming) (t.detector == 0 ? met_two_way : met_one_way)++;
    if (t.wrong_way) {
      ++wrong_way;
      CHECK(t.detector == 1);
      CHECK(t.direction == Direction::forward);
    }
  }
  CHECK(met_two_way > 20);
  CHECK(met_one_way == 0);
  CHECK(wrong_way > 20);
}

TEST_CASE("a two-wheeler that one loop misses leaves edges on the other loop only", "[sim]") {
  SimOptions o = options(100, 12);
  o.scenario = only(VehicleKind::two_wheeler);
  o.scenario.traffic.volume_vph = 30;
  o.scenario.cards.two_wheeler_miss_prob = 1;
  const Site site = one_way_site();
  const Run r = run(site, o);
  int missed_first = 0;
  int missed_second = 0;
  for (const auto& t : r.truths) {
    CHECK(t.missed_first != t.missed_second);
    CHECK(!t.lead_err_pct);
    CHECK(!t.both_err_pct);
    if (t.missed_first) ++missed_first;
    if (t.missed_second) ++missed_second;
  }
  CHECK(missed_first > 1000);
  CHECK(missed_second > 1000);
  const auto alone = isolated(r.truths, 10);
  REQUIRE(alone.size() > 1000);
  for (const auto& t : alone) {
    const int first = rising(r.edges, site.traps[0].first, t.t_ns - 2 * s_ns, t.t_ns + 5 * s_ns);
    const int second = rising(r.edges, site.traps[0].second, t.t_ns - 2 * s_ns, t.t_ns + 5 * s_ns);
    CHECK(first == (t.missed_first ? 0 : 1));
    CHECK(second == (t.missed_second ? 0 : 1));
  }
}

TEST_CASE("a hitch gap longer than the detection zone splits the activation", "[sim]") {
  // Zone: loop 1.5 m + 2 x 0.2 m sensitivity = 1.9 m.
  for (const double gap : {2.6, 1.0}) {
    SimOptions o = options(100, 13);
    o.scenario = only(VehicleKind::articulated);
    o.scenario.traffic.volume_vph = 20;
    o.scenario.traffic.kind(VehicleKind::articulated).hitch_gap_min_m = gap;
    o.scenario.traffic.kind(VehicleKind::articulated).hitch_gap_max_m = gap;
    o.scenario.cards.sensitivity_m = 0.2;
    o.scenario.cards.sensitivity_spread_m = 0;
    const Site site = one_way_site();
    const Run r = run(site, o);
    const auto alone = isolated(r.truths, 30);
    REQUIRE(alone.size() > 500);
    const int expected = gap > 1.9 ? 2 : 1;
    int wrong = 0;
    for (const auto& t : alone)
      for (InputId in : {site.traps[0].first, site.traps[0].second})
        if (rising(r.edges, in, t.t_ns - 2 * s_ns, t.t_ns + 25 * s_ns) != expected) ++wrong;
    CHECK(wrong == 0);
  }
}

TEST_CASE("chatter only adds bounces shortly after the card's real edges", "[sim]") {
  SimOptions clean = options(5, 21);
  clean.scenario.cards.chatter_prob = 0;
  SimOptions chatter = clean;
  chatter.scenario.cards.chatter_prob = 1;
  const Site site = two_way_site();
  const Run a = run(site, clean);
  const Run b = run(site, chatter);
  REQUIRE(b.edges.size() > a.edges.size() + 1000);
  // The real edges are all there; every other edge lies within a burst
  // (window + bounces: 8 + 4 x 2 ms, plus slack) after the real edge before it.
  for (InputId in : {InputId{0}, InputId{1}}) {
    std::vector<Edge> real;
    std::vector<Edge> all;
    for (const Edge& e : a.edges)
      if (e.input == in) real.push_back(e);
    for (const Edge& e : b.edges)
      if (e.input == in) all.push_back(e);
    std::size_t k = 0;
    std::int64_t last_real = 0;
    int outside = 0;
    for (const Edge& e : all) {
      if (k < real.size() && e == real[k]) {
        last_real = e.t_ns;
        ++k;
      } else if (e.t_ns - last_real > 17'000'000) {
        ++outside;
      }
    }
    CHECK(k == real.size());
    CHECK(outside == 0);
  }
}

TEST_CASE("followers in a platoon never come closer than the minimum gap", "[sim]") {
  SimOptions o = options(10, 17);
  o.scenario.traffic.volume_vph = 900;
  o.scenario.traffic.diurnal = false;
  o.scenario.traffic.platoon_share = 0.5;
  o.scenario.traffic.platoon_headway_min_s = 0.6;
  o.scenario.traffic.platoon_headway_max_s = 1.0;
  o.scenario.traffic.accel_share = 0;
  o.scenario.traffic.accel_sd_mps2 = 0;
  o.scenario.traffic.wrong_way_share = 0;
  o.scenario.traffic.speed_mean_kmh = 50;
  const Run r = run(one_way_site(2), o);
  std::array<const TruthVehicle*, 2> previous{};
  int tailgating = 0;
  int checked = 0;
  for (const auto& t : r.truths) {
    const TruthVehicle*& leader = previous[t.detector];
    if (leader) {
      // Constant speeds: when the follower reaches the loop, the leader's
      // rear is at least min_gap (1 m) past it. The truth times follow the
      // footprint fronts, up to 1.2 m (the largest front inset) behind the bodies'.
      const double headway_s = static_cast<double>(t.t_ns - leader->t_ns) / 1e9;
      CHECK(headway_s * leader->speed_kmh / 3.6 >= leader->length_m + 1.0 - 1.2);
      ++checked;
    }
    if (t.tailgating) ++tailgating;
    leader = &t;
  }
  CHECK(checked > 15000);
  CHECK(tailgating > static_cast<int>(r.truths.size()) / 5);
}

TEST_CASE("what the simulator holds stays bounded over a long run", "[sim]") {
  const Run r = run(two_way_site(), options(100, 2));
  CHECK(r.stats.vehicles > 20000);
  CHECK(r.stats.edges == r.edges.size());
  CHECK(r.stats.max_pending_edges < 64);
  CHECK(r.stats.max_pending_vehicles < 32);
}

TEST_CASE("speeds stay above the floor for vehicles that brake hard", "[sim]") {
  SimOptions o = options(20, 19);
  o.scenario.traffic.speed_mean_kmh = 8;
  o.scenario.traffic.speed_sd_kmh = 4;
  o.scenario.traffic.accel_share = 1;
  const Run r = run(two_way_site(), o);
  REQUIRE(r.truths.size() > 1000);
  for (const auto& t : r.truths) {
    CHECK(t.speed_kmh >= 3.0);
    CHECK(std::abs(t.accel_mps2) <= o.scenario.traffic.accel_max_mps2);
  }
}

TEST_CASE("an unknown scenario key is an error naming its line", "[sim]") {
  const std::string text =
      "[traffic]\n"
      "volume_vph = 100\n"
      "\n"
      "[cards]\n"
      "jiter_ms = 2\n";
  CHECK_THROWS_WITH(parse_scenario(text, "s.toml"), "s.toml:5: unknown key 'jiter_ms' in [cards]");
  CHECK_THROWS_WITH(parse_scenario("[trafic]\nvolume_vph = 1\n", "s.toml"),
                    "s.toml:1: unknown key 'trafic' in the scenario");
  CHECK_THROWS_WITH(parse_scenario("[traffic.car]\nshare = 0.5\nlenght_mean_m = 4\n", "s.toml"),
                    "s.toml:3: unknown key 'lenght_mean_m' in [traffic.car]");
  CHECK_THROWS_WITH(parse_scenario("[traffic.car]\nhitch_gap_min_m = 1\n", "s.toml"),
                    "s.toml:2: unknown key 'hitch_gap_min_m' in [traffic.car]");
}

TEST_CASE("a scenario value out of range names its file, line and constraint", "[sim]") {
  CHECK_THROWS_WITH(parse_scenario("[cards]\n\njitter_ms = -1\n", "s.toml"),
                    "s.toml:3: [cards] jitter_ms must be between 0 and 50 (got -1)");
  CHECK_THROWS_WITH(parse_scenario("[cards]\nbounce_min_ms = 3\nbounce_max_ms = 2\n", "s.toml"),
                    "s.toml:3: [cards] bounce_max_ms must not be less than bounce_min_ms (2 < 3)");
  CHECK_THROWS_WITH(parse_scenario("[traffic]\ndiurnal = 1\n", "s.toml"),
                    "s.toml:2: [traffic] diurnal must be true or false");
  CHECK_THROWS_WITH(parse_scenario("[traffic]\nprofile = [1, 2]\n", "s.toml"),
                    "s.toml:2: [traffic] profile must be an array of 24 numbers");
  CHECK_THROWS_WITH(parse_scenario("[traffic]\nvolume_vph = \n", "s.toml"),
                    Catch::Matchers::StartsWith("s.toml:2: "));
}

TEST_CASE("the [radar] scenario table names its file and line for an unknown key or a bad value", "[sim][radar]") {
  CHECK_THROWS_WITH(parse_scenario("[radar]\nbeam_half_width = 10\n", "r.toml"),
                    "r.toml:2: unknown key 'beam_half_width' in [radar]");
  CHECK_THROWS_WITH(parse_scenario("[radar]\n\nphase_jitter = 0.2\n", "r.toml"),
                    "r.toml:3: [radar] phase_jitter must be between 0 and 0.05 (got 0.2)");
  CHECK_THROWS_WITH(parse_scenario("[radar]\ndetect_min = 0.5\ndetect_full = 0.3\n", "r.toml"),
                    "r.toml:3: [radar] detect_full must not be less than detect_min (0.3 < 0.5)");
  CHECK_THROWS_WITH(parse_scenario("[radar]\nfootprint_near_m = 30\n", "r.toml"),
                    "r.toml:2: [radar] footprint_far_m must not be less than footprint_near_m (24 < 30)");
  CHECK_THROWS_WITH(parse_scenario("[radar]\ntwo_wheeler_strength = \"weak\"\n", "r.toml"),
                    Catch::Matchers::StartsWith("r.toml:2: "));
  const Scenario s = parse_scenario("[radar]\nmiss_prob = 0.01\nreverse_offset_m = 7\n", "r.toml");
  CHECK(s.radar.miss_prob == 0.01);
  CHECK(s.radar.reverse_offset_m == 7);
  CHECK(s.radar.forward_offset_m == RadarParams{}.forward_offset_m);
}

TEST_CASE("scenario keys override the villa defaults and keep the rest", "[sim]") {
  const Scenario s = parse_scenario(
      "[scenario]\nname = \"test\"\n[traffic]\nvolume_vph = 900\n[traffic.truck]\nshare = 0.1\n"
      "[cards]\njitter_ms = 0.3\nchatter_bounces_max = 2\n",
      "s.toml");
  CHECK(s.name == "test");
  CHECK(s.traffic.volume_vph == 900);
  CHECK(s.traffic.kind(VehicleKind::truck).share == 0.1);
  CHECK(s.traffic.kind(VehicleKind::truck).length_mean_m == Scenario{}.traffic.kind(VehicleKind::truck).length_mean_m);
  CHECK(s.cards.jitter_ms == 0.3);
  CHECK(s.cards.chatter_bounces_max == 2);
  CHECK(s.cards.on_delay_ms == Scenario{}.cards.on_delay_ms);
}

TEST_CASE("the example scenarios load", "[sim]") {
  const std::string dir = std::string(ROADSPEED_TEST_DATA) + "/../../docs/examples/";
  for (const char* name : {"villa", "arterial", "noisy", "good-cards"}) {
    INFO(name);
    const Scenario s = load_scenario(dir + name + ".scenario.toml");
    CHECK(!s.name.empty());
  }
}

TEST_CASE("the villa example spells out exactly the built-in defaults", "[sim]") {
  Scenario villa = load_scenario(std::string(ROADSPEED_TEST_DATA) + "/../../docs/examples/villa.scenario.toml");
  villa.name.clear();
  villa.description.clear();
  CHECK(villa == Scenario{});
}
