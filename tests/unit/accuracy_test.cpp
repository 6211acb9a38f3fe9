#include <catch2/catch.hpp>

#include <sstream>
#include <string>
#include <vector>

#include "calibration/accuracy.hpp"
#include "calibration/accuracy_csv.hpp"
#include "daemon/site/site.hpp"

namespace roadspeed::accuracy {
namespace {

constexpr std::int64_t ms = 1'000'000;
constexpr std::int64_t t0 = 1764158400000000000;

TruthRow truth_at(std::int64_t t_ns, double speed_kmh = 50, std::string detector = "t1",
                  std::string direction = "northbound") {
  TruthRow t;
  t.t_ns = t_ns;
  t.detector = std::move(detector);
  t.direction = std::move(direction);
  t.speed_kmh = speed_kmh;
  t.length_m = 4.5;
  t.vehicle_class = "car";
  return t;
}

DetectedRow detected_at(std::int64_t t_ns, std::optional<double> speed_kmh = 50,
                        std::string detector = "t1", std::string direction = "northbound") {
  DetectedRow d;
  d.t_ns = t_ns;
  d.detector = std::move(detector);
  d.direction = std::move(direction);
  d.speed_kmh = speed_kmh;
  d.length_m = 4.3;
  d.vehicle_class = "car";
  return d;
}

std::vector<std::pair<std::size_t, std::size_t>> pairs(const std::vector<Match>& matches) {
  std::vector<std::pair<std::size_t, std::size_t>> out;
  for (const Match& m : matches) out.emplace_back(m.truth, m.detected);
  return out;
}

using Pairs = std::vector<std::pair<std::size_t, std::size_t>>;

}  // namespace

TEST_CASE("a detection is matched to the nearest true vehicle, not the first in time",
          "[accuracy]") {
  // The first vehicle was missed; the follower's detection must not slip onto it.
  const std::vector<TruthRow> truth{truth_at(t0), truth_at(t0 + 200 * ms)};
  const std::vector<DetectedRow> detected{detected_at(t0 + 190 * ms)};
  CHECK(pairs(match(truth, detected)) == Pairs{{1, 0}});
}

TEST_CASE("matching is one-to-one", "[accuracy]") {
  const std::vector<TruthRow> truth{truth_at(t0)};
  const std::vector<DetectedRow> detected{detected_at(t0 + 10 * ms), detected_at(t0 + 20 * ms)};
  CHECK(pairs(match(truth, detected)) == Pairs{{0, 0}});

  const std::vector<TruthRow> two{truth_at(t0), truth_at(t0 + 100 * ms)};
  const std::vector<DetectedRow> both{detected_at(t0 + 90 * ms), detected_at(t0 + 105 * ms)};
  // Nearest first: (1, 1) at 5 ms, then (0, 0) at 90 ms; (1, 0) at 10 ms loses to the taken truth.
  CHECK(pairs(match(two, both)) == Pairs{{0, 0}, {1, 1}});
}

TEST_CASE("matches lie within the tolerance, which is inclusive", "[accuracy]") {
  const std::vector<TruthRow> truth{truth_at(t0), truth_at(t0 + 10'000 * ms)};
  const std::vector<DetectedRow> detected{detected_at(t0 + 300 * ms),
                                          detected_at(t0 + 10'000 * ms + 301 * ms)};
  CHECK(pairs(match(truth, detected)) == Pairs{{0, 0}});
  CHECK(pairs(match(truth, detected, 400 * ms)) == Pairs{{0, 0}, {1, 1}});
}

TEST_CASE("only the same detector matches, the same direction first", "[accuracy]") {
  const std::vector<TruthRow> truth{truth_at(t0, 50, "t1", "northbound")};
  CHECK(match(truth, {detected_at(t0, 50, "t2", "northbound")}).empty());

  // A same-direction detection wins over a nearer one the other way.
  const std::vector<DetectedRow> both{detected_at(t0, 50, "t1", "southbound"),
                                      detected_at(t0 + 200 * ms, 50, "t1", "northbound")};
  const auto m = match(truth, both);
  REQUIRE(m.size() == 1);
  CHECK(m[0].detected == 1);
  CHECK(m[0].same_direction);
}

TEST_CASE("a vehicle reported the wrong way still counts, without a speed error", "[accuracy]") {
  const std::vector<TruthRow> truth{truth_at(t0, 50, "t1", "northbound")};
  const std::vector<DetectedRow> detected{detected_at(t0, 80, "t1", "southbound")};
  const auto m = match(truth, detected);
  REQUIRE(m.size() == 1);
  CHECK_FALSE(m[0].same_direction);
  const Metrics s = score(truth, detected, m);
  CHECK(s.recall_pct == Approx(100));
  CHECK(s.direction_agree_pct == Approx(0));
  CHECK(s.speed_errors == 0);
}

TEST_CASE("a row one loop saw is compared with when the vehicle reached that loop", "[accuracy]") {
  // A southbound moped at 25.2 km/h (3 m in 0.4286 s) whose first loop
  // (loop_b) missed it: detection saw it on loop_a, so it reports it
  // northbound, missed_second, at its arrival there.
  const std::vector<TrapLoops> traps{{"t1", "northbound", "southbound", 3.0}};
  std::vector<TruthRow> truth{truth_at(t0, 25.2, "t1", "southbound")};
  truth[0].missed_first = true;
  std::vector<DetectedRow> detected{detected_at(t0 + 428 * ms + 20 * ms, std::nullopt)};
  detected[0].flags = "missed_second";
  CHECK(match(truth, detected).empty());  // the rule without trap geometry: 0.45 s off
  auto m = match(truth, detected, default_tolerance_ns, traps);
  REQUIRE(m.size() == 1);
  CHECK_FALSE(m[0].same_direction);

  // Seen on its first loop: its own time, as for any row.
  truth[0].direction = "northbound";
  truth[0].missed_first = false;
  truth[0].missed_second = true;
  CHECK(match(truth, detected, default_tolerance_ns, traps).empty());
  detected[0].t_ns = t0 + 20 * ms;
  CHECK(match(truth, detected, default_tolerance_ns, traps).size() == 1);

  // A one-way trap's missed_first row was seen on `second`, one transit late.
  const std::vector<TrapLoops> one_way{{"t1", "northbound", "", 3.0}};
  std::vector<TruthRow> forward{truth_at(t0, 36.0, "t1", "northbound")};
  std::vector<DetectedRow> late{detected_at(t0 + 300 * ms + 5 * ms, std::nullopt)};
  late[0].flags = "missed_first";
  m = match(forward, late, default_tolerance_ns, one_way);
  REQUIRE(m.size() == 1);
  CHECK(m[0].same_direction);
  // A row with a speed is dated at its first loop whatever the geometry.
  late[0].flags = "tailgate";
  late[0].t_ns = t0 + 305 * ms;
  CHECK(match(forward, late, default_tolerance_ns, one_way).empty());
}

TEST_CASE("matches come back in truth time order whatever the input order", "[accuracy]") {
  const std::vector<TruthRow> truth{truth_at(t0 + 5000 * ms), truth_at(t0)};
  const std::vector<DetectedRow> detected{detected_at(t0 + 1 * ms), detected_at(t0 + 5001 * ms)};
  CHECK(pairs(match(truth, detected)) == Pairs{{1, 0}, {0, 1}});
}

TEST_CASE("vehicles that met an oncoming vehicle leave recall and precision alone",
          "[accuracy]") {
  std::vector<TruthRow> truth{truth_at(t0), truth_at(t0 + 5000 * ms), truth_at(t0 + 10'000 * ms),
                              truth_at(t0 + 15'000 * ms)};
  truth[2].met_oncoming = true;  // detected
  truth[3].met_oncoming = true;  // missed
  std::vector<DetectedRow> detected{detected_at(t0 + 5 * ms), detected_at(t0 + 10'005 * ms),
                                    detected_at(t0 + 20'000 * ms)};  // the last is a ghost
  const auto matches = match(truth, detected);
  REQUIRE(matches.size() == 2);
  const Metrics m = score(truth, detected, matches);
  CHECK(m.truth_vehicles == 4);
  CHECK(m.truth_non_oncoming == 2);
  CHECK(m.matched_non_oncoming == 1);
  CHECK(*m.recall_pct == Approx(50.0));       // 1 of the 2 non-oncoming
  CHECK(m.detections_for_precision == 2);     // the oncoming match is not counted
  CHECK(*m.precision_pct == Approx(50.0));    // 1 good of 2 (one ghost)
  CHECK(*m.recall_all_pct == Approx(50.0));   // 2 of 4
}

TEST_CASE("speed errors are relative, absolute, and their p95 is a nearest rank", "[accuracy]") {
  // 20 vehicles with errors 0.1 %, 0.2 %, ..., 2.0 % (alternating sign).
  std::vector<TruthRow> truth;
  std::vector<DetectedRow> detected;
  for (int i = 1; i <= 20; ++i) {
    const std::int64_t t = t0 + i * 5000 * ms;
    const double err = (i % 2 ? 1 : -1) * 0.001 * i;
    truth.push_back(truth_at(t, 50));
    truth.back().lead_err_pct = 1.0 * (i % 2 ? -1 : 1);  // |lead| p95 = 1.0
    truth.back().both_err_pct = 0.02 * i;                // |both| p95 = 0.02 × 19 = 0.38
    detected.push_back(detected_at(t + 10 * ms, 50 * (1 + err)));
  }
  truth.push_back(truth_at(t0 + 200'000 * ms));  // matched, but no speed
  detected.push_back(detected_at(t0 + 200'000 * ms, std::nullopt));

  const Metrics m = score(truth, detected, match(truth, detected));
  CHECK(m.speed_errors == 20);
  CHECK(*m.speed_share_pct == Approx(100.0 * 20 / 21));
  CHECK(*m.p95_err_pct == Approx(1.9));   // rank ceil(0.95 × 20) = 19
  CHECK(*m.p50_err_pct == Approx(1.0));   // rank 10
  CHECK(*m.floor_pct == Approx(0.38));    // min(1.0, 0.38)
  CHECK(*m.p95_floor_ratio == Approx(1.9 / 0.38));
}

TEST_CASE("the floor uses whichever perfect-pairing error the truth has", "[accuracy]") {
  std::vector<TruthRow> truth{truth_at(t0)};
  truth[0].lead_err_pct = -0.5;  // a loop missed it: no both-edge figure
  const std::vector<DetectedRow> detected{detected_at(t0, 50.5)};
  const Metrics m = score(truth, detected, match(truth, detected));
  CHECK(*m.floor_pct == Approx(0.5));
  CHECK(*m.p95_err_pct == Approx(1.0));
  CHECK(*m.p95_floor_ratio == Approx(2.0));
}

TEST_CASE("length bias is the median difference, with the share within half a metre of it",
          "[accuracy]") {
  std::vector<TruthRow> truth;
  std::vector<DetectedRow> detected;
  const std::vector<double> bias{-0.30, -0.25, -0.20, -0.20, 0.40};  // median -0.20
  for (std::size_t i = 0; i < bias.size(); ++i) {
    const std::int64_t t = t0 + static_cast<std::int64_t>(i) * 5000 * ms;
    truth.push_back(truth_at(t));
    detected.push_back(detected_at(t));
    detected.back().length_m = truth.back().length_m + bias[i];
  }
  detected[4].vehicle_class = "van";
  truth.push_back(truth_at(t0 + 100'000 * ms));  // matched without a length: not counted
  detected.push_back(detected_at(t0 + 100'000 * ms));
  detected.back().length_m.reset();
  detected.back().vehicle_class = "unclassified";

  const Metrics m = score(truth, detected, match(truth, detected));
  CHECK(*m.length_bias_m == Approx(-0.20));
  CHECK(*m.length_within_pct == Approx(80.0));  // 0.40 is 0.60 from the median
  CHECK(*m.class_agree_pct == Approx(100.0 * 4 / 6));
}

TEST_CASE("no vehicles gives empty figures, not a division by zero", "[accuracy]") {
  const Metrics m = score({}, {}, {});
  CHECK_FALSE(m.recall_pct);
  CHECK_FALSE(m.precision_pct);
  CHECK_FALSE(m.p95_err_pct);
  CHECK_FALSE(m.floor_pct);
  CHECK_FALSE(m.length_bias_m);
}

TEST_CASE("the truth CSV is read by column name", "[accuracy]") {
  std::istringstream in(
      "time_ns,detector,direction,speed_kmh,length_m,class,accel_mps2,wrong_way,met_oncoming,"
      "missed_first,missed_second,tailgating,lead_err_pct,both_err_pct\n"
      "1764158400000000000,t1,northbound,34.5,4.6,car,0.1,0,1,0,1,0,-0.8,\n");
  const auto rows = read_truth_csv(in, "truth.csv");
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].t_ns == t0);
  CHECK(rows[0].speed_kmh == 34.5);
  CHECK(rows[0].met_oncoming);
  CHECK(rows[0].missed_second);
  CHECK_FALSE(rows[0].wrong_way);
  CHECK(*rows[0].lead_err_pct == -0.8);
  CHECK_FALSE(rows[0].both_err_pct);
}

TEST_CASE("the detected CSV keeps empty speeds and lengths empty", "[accuracy]") {
  std::istringstream in(
      "time_ns,detector,direction,speed_kmh,length_m,class,flags\n"
      "1764158400000000000,t1,northbound,34.17,4.62,car,\n"
      "1764158401000000000,t1,southbound,,,unclassified,missed_second;overlap\n");
  const auto rows = read_detected_csv(in, "vehicles.csv");
  REQUIRE(rows.size() == 2);
  CHECK(*rows[0].speed_kmh == 34.17);
  CHECK_FALSE(rows[1].speed_kmh);
  CHECK_FALSE(rows[1].length_m);
  CHECK(rows[1].flags == "missed_second;overlap");
}

TEST_CASE("a malformed row names the file and the line", "[accuracy]") {
  std::istringstream in(
      "time_ns,detector,direction,speed_kmh,length_m,class,flags\n"
      "1764158400000000000,t1,northbound,34.17,4.62,car,\n"
      "1764158401000000000,t1,northbound,fast,4.62,car,\n");
  CHECK_THROWS_WITH(read_detected_csv(in, "vehicles.csv"),
                    Catch::StartsWith("vehicles.csv:3: speed_kmh: not a number"));

  std::istringstream missing("time_ns,detector,direction\n");
  CHECK_THROWS_AS(read_detected_csv(missing, "v.csv"), InputError);
}

}  // namespace roadspeed::accuracy
