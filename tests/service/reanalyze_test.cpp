// roadspeed reanalyze on what roadspeedd really leaves: its database and
// its edge journal after a replayed hour, measured again with the same and
// with a changed site file.
#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <thread>

#include "../unit/store_test_support.hpp"
#include "../unit/read_file.hpp"
#include "daemon/store/sqlite_db.hpp"

namespace fs = std::filesystem;
using roadspeed::store::Db;
using roadspeed::test::rows_text;

using roadspeed::test::read_file;

namespace {

struct Run {
  int status = -1;
  std::string out;
  std::string err;
};

// `roadspeed ARGS`, its exit status, stdout and stderr.
Run run_roadspeed(const fs::path& dir, const std::string& args) {
  const std::string cmd = std::string(ROADSPEED) + " " + args + " > " + (dir / "out").string() + " 2> " +
                          (dir / "err").string();
  Run r;
  r.status = std::system(cmd.c_str());
  r.out = read_file(dir / "out");
  r.err = read_file(dir / "err");
  return r;
}

// roadspeedd replays the trace as fast as it can, then is stopped by
// SIGTERM as systemd would: its database and journal are then complete.
void run_daemon_over(const fs::path& config, const fs::path& log) {
  const pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    if (!std::freopen(log.c_str(), "w", stderr)) ::_exit(127);
    ::execl(ROADSPEEDD, ROADSPEEDD, "--config", config.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (read_file(log).find("source ended") == std::string::npos && std::chrono::steady_clock::now() < end)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  ::kill(pid, SIGTERM);
  int status = 0;
  ::waitpid(pid, &status, 0);
  REQUIRE(WIFEXITED(status));
  REQUIRE(WEXITSTATUS(status) == 0);
}

// The vehicles of the trap (any site version) as values, in time order.
std::string trap_vehicles(Db& db, const std::string& where) {
  return rows_text(db, "SELECT t_ns, direction, speed_kmh, length_m, class, flags, headway_ms FROM vehicles "
                       "WHERE " + where + " ORDER BY t_ns, direction", 7);
}

// sum_kmh to a millionth of a km/h: a bin's sum is added up commit by
// commit, and the daemon's commits fall where its timing puts them, so the
// last bits of the double depend on how a bin's vehicles were grouped
// ((a + b) + c against a + (b + c)), not on which vehicles it holds.
std::string bins(Db& db) {
  return rows_text(db, "SELECT bin_start_s, direction, class, vehicles, with_speed, printf('%.6f', sum_kmh), hex(histogram), "
                       "over_limit, hex(over_thresholds), headway_lt1, headway_lt2 FROM bins ORDER BY 1, 2, 3", 11);
}

// Speed (if measured) by time and direction.
std::map<std::pair<std::int64_t, int>, std::optional<double>> speeds_by_time(Db& db, const std::string& where) {
  std::map<std::pair<std::int64_t, int>, std::optional<double>> out;
  auto q = db.prepare("SELECT t_ns, direction, speed_kmh FROM vehicles WHERE " + where);
  while (q.step())
    out[{q.column_int(0), static_cast<int>(q.column_int(1))}] =
        q.is_null(2) ? std::nullopt : std::optional<double>(q.column_double(2));
  return out;
}

}  // namespace

TEST_CASE("roadspeed reanalyze measures a period of roadspeedd's journal again with the current site file",
          "[service]") {
  const fs::path dir = fs::temp_directory_path() / ("roadspeed-reanalyze-test-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  const fs::path data = ROADSPEED_TEST_DATA;
  fs::copy_file(data / "sites/villa-street.toml", dir / "site.toml");
  std::ofstream(dir / "d.toml") << "site_file = \"site.toml\"\ndatabase = \"roadspeed.db\"\nretention_days = 36500\n"
                                   "monitor_socket = \"monitor.sock\"\n[source]\nkind = \"replay\"\n"
                                   "trace = \"" << (data / "villa-hour.trace.csv").string() << "\"\npace = \"fast\"\n";
  run_daemon_over(dir / "d.toml", dir / "daemon.log");
  const std::string config = "--config " + (dir / "d.toml").string();

  // The hour is 13:00:14 to 13:59:51 local time (12:00:14Z to 12:59:51Z);
  // the period 13:20 to 13:40 is rounded out to 13:15 to 13:45, local time.
  const std::string period = " --from 2025-11-26T13:20 --to 2025-11-26T13:40";
  const std::int64_t from_ns = 1764159300'000000000, to_ns = 1764161100'000000000;
  const std::string inside = "t_ns >= " + std::to_string(from_ns) + " AND t_ns < " + std::to_string(to_ns);
  const std::string outside = "NOT (" + inside + ")";
  Db db(dir / "roadspeed.db", true);
  const std::string all_before = trap_vehicles(db, "1");
  const std::string bins_before = bins(db);
  const auto in_period = db.query_int("SELECT count(*) FROM vehicles WHERE " + inside);
  REQUIRE(in_period > 100);
  const std::string counts = "t1: " + std::to_string(in_period) + " vehicles removed, " + std::to_string(in_period) + " stored\n";

  SECTION("with the same site file, the same vehicles and bins as the daemon stored") {
    const Run r = run_roadspeed(dir, "reanalyze " + config + period);
    REQUIRE(r.status == 0);
    CHECK(r.err == "roadspeed: reanalyze: period rounded out to whole 15-minute bins: "
                   "2025-11-26T13:15+01:00 to 2025-11-26T13:45+01:00\n");
    CHECK(r.out.find(counts) != std::string::npos);
    CHECK(trap_vehicles(db, "1") == all_before);
    CHECK(bins(db) == bins_before);
  }
  SECTION("with a loop spacing 10% longer, the period's speeds 10% higher and nothing else changed") {
    const std::string rows_outside = rows_text(db, "SELECT rowid, * FROM vehicles WHERE " + outside + " ORDER BY rowid", 9);
    const std::string old_inside = trap_vehicles(db, inside);
    const auto old_speeds = speeds_by_time(db, inside);
    std::string site = read_file(dir / "site.toml");
    site.replace(site.find("spacing_m = 3.0"), 15, "spacing_m = 3.3");
    std::ofstream(dir / "site.toml") << site;

    const Run r = run_roadspeed(dir, "reanalyze " + config + period);
    REQUIRE(r.status == 0);
    CHECK(r.out.find(counts) != std::string::npos);
    CHECK(rows_text(db, "SELECT rowid, * FROM vehicles WHERE " + outside + " ORDER BY rowid", 9) == rows_outside);
    CHECK(roadspeed::test::bins_disagreeing_with_vehicles(db) == 0);
    CHECK(trap_vehicles(db, inside) != old_inside);
    // A speed is spacing over transit time: each vehicle, found by its
    // time, is 10% faster. Not exactly: the combination of the leading and
    // trailing pairs weighs timing spreads learnt in seconds (measured: all
    // within 0.3%, the mean ratio 1.100005).
    const auto new_speeds = speeds_by_time(db, inside);
    REQUIRE(new_speeds.size() == old_speeds.size());
    int measured = 0, off = 0;
    double ratio_sum = 0;
    for (const auto& [key, old_kmh] : old_speeds) {
      const auto it = new_speeds.find(key);
      REQUIRE(it != new_speeds.end());
      if (!old_kmh || !it->second) continue;
      ++measured;
      ratio_sum += *it->second / *old_kmh;
      if (std::fabs(*it->second / *old_kmh - 1.1) > 0.005) ++off;
    }
    CHECK(measured > 100);
    CHECK(off == 0);
    CHECK(ratio_sum / measured == Approx(1.1).epsilon(0.0005));
  }
  SECTION("a period the journal does not cover whole is refused and changes nothing") {
    const std::string before = roadspeed::test::database_text(db);
    const Run r = run_roadspeed(dir, "reanalyze " + config + " --from 2025-11-26T13:30 --to 2025-11-26T14:30");
    CHECK(r.status != 0);
    CHECK(r.err.find("roadspeed: the journal does not cover 2025-11-26T12:59:51.638Z to 2025-11-26T13:30:00.000Z;") == 0);
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
    CHECK(roadspeed::test::database_text(db) == before);
  }
  fs::remove_all(dir);
}

TEST_CASE("roadspeed reanalyze measures roadspeedd's radar passes again, in the same transaction as the loops",
          "[service]") {
  const fs::path dir = fs::temp_directory_path() / ("roadspeed-reanalyze-radar-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  const fs::path data = ROADSPEED_TEST_DATA;
  fs::copy_file(data / "sites/radar-street.toml", dir / "site.toml");  // a trap and an I/Q radar
  // Quiet two-way traffic from 11:58Z for 18 minutes: 13:00 to 13:15 local is covered whole.
  std::ofstream(dir / "quiet.scenario.toml") << "[scenario]\nname = \"quiet\"\n[traffic]\nvolume_vph = 150\ndiurnal = false\n";
  const Run sim = run_roadspeed(dir, "simulate --site " + (dir / "site.toml").string() + " --scenario " +
                                         (dir / "quiet.scenario.toml").string() +
                                         " --hours 0.3 --seed 5 --start 2025-11-26T11:58:00Z --out " +
                                         (dir / "street.trace.csv").string());
  REQUIRE(sim.status == 0);
  std::ofstream(dir / "d.toml") << "site_file = \"site.toml\"\ndatabase = \"roadspeed.db\"\nretention_days = 36500\n"
                                   "monitor_socket = \"monitor.sock\"\n[source]\nkind = \"replay\"\n"
                                   "trace = \"street.trace.csv\"\npace = \"fast\"\n";
  run_daemon_over(dir / "d.toml", dir / "daemon.log");
  const std::string config = "--config " + (dir / "d.toml").string();
  const std::string period = " --from 2025-11-26T13:00 --to 2025-11-26T13:15";
  const std::string inside = "t_ns >= 1764158400000000000 AND t_ns < 1764159300000000000";
  const std::string radar = "detector_row IN (SELECT detector_row FROM detectors WHERE detector_id = 'r1')";
  Db db(dir / "roadspeed.db", true);
  const auto radar_rows = db.query_int("SELECT count(*) FROM vehicles WHERE " + inside + " AND " + radar);
  REQUIRE(radar_rows > 20);
  const std::string all_before = trap_vehicles(db, "1");
  const std::string bins_before = bins(db);

  SECTION("with the same site file, the daemon's radar and loop rows and bins exactly") {
    const Run r = run_roadspeed(dir, "reanalyze " + config + period);
    REQUIRE(r.status == 0);
    CHECK(r.err.empty());
    CHECK(r.out.find("r1: " + std::to_string(radar_rows) + " vehicles removed, " + std::to_string(radar_rows) +
                     " stored\n") != std::string::npos);
    CHECK(trap_vehicles(db, "1") == all_before);
    CHECK(bins(db) == bins_before);
  }
  SECTION("with the beam angle changed, speeds scale by the ratio of the cosines") {
    // In line with the lanes (offset 0) the angle is the line of sight:
    // f = k v cos(angle), so 20 -> 30 degrees scales every speed by cos 20 / cos 30.
    std::string site = read_file(dir / "site.toml");
    site.replace(site.find("forward_offset_m = 2.5"), 22, "forward_offset_m = 0.0");
    site.replace(site.find("reverse_offset_m = 5.5"), 22, "reverse_offset_m = 0.0");
    std::ofstream(dir / "site.toml") << site;
    REQUIRE(run_roadspeed(dir, "reanalyze " + config + period).status == 0);
    const auto at_20 = speeds_by_time(db, inside + " AND " + radar);
    const std::string loops_at_20 = trap_vehicles(db, "NOT " + radar);
    site.replace(site.find("angle_deg = 20"), 14, "angle_deg = 30");
    std::ofstream(dir / "site.toml") << site;
    REQUIRE(run_roadspeed(dir, "reanalyze " + config + period).status == 0);
    const auto at_30 = speeds_by_time(db, inside + " AND " + radar);
    CHECK(trap_vehicles(db, "NOT " + radar) == loops_at_20);
    REQUIRE(at_30.size() == at_20.size());
    const double deg = 3.14159265358979323846 / 180;
    int measured = 0;
    for (const auto& [key, kmh] : at_20) {
      const auto it = at_30.find(key);
      REQUIRE(it != at_30.end());
      if (!kmh || !it->second) continue;
      ++measured;
      CHECK(*it->second / *kmh == Approx(std::cos(20 * deg) / std::cos(30 * deg)).epsilon(1e-6));
    }
    CHECK(measured > 20);
    CHECK(roadspeed::test::bins_disagreeing_with_vehicles(db) == 0);
  }
  fs::remove_all(dir);
}
