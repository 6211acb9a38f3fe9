#include <catch2/catch.hpp>

#include "daemon/service/daemon_config.hpp"
#include "daemon/site/site.hpp"

using namespace roadspeed;

namespace {

std::string error_of(std::string_view text) {
  try {
    parse_daemon_config(text, "d.toml", "/etc/roadspeed");
  } catch (const InputError& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace

TEST_CASE("a replay configuration is read with paths relative to the file's folder", "[service]") {
  const DaemonConfig c = parse_daemon_config(R"(site_file = "site.toml"
vehicles_file = "/var/lib/roadspeed/v.csv"
[source]
kind = "replay"
trace = "traces/a.trace.csv"
pace = "fast"
)",
                                             "d.toml", "/etc/roadspeed");
  CHECK(c.site_file == "/etc/roadspeed/site.toml");
  CHECK(c.vehicles_file == std::filesystem::path("/var/lib/roadspeed/v.csv"));
  CHECK(c.source.kind == SourceKind::replay);
  CHECK(c.source.trace == "/etc/roadspeed/traces/a.trace.csv");
  CHECK(c.source.pace == Pace::fast);
}

TEST_CASE("the simulator is the default source", "[service]") {
  const DaemonConfig c = parse_daemon_config("site_file = \"s.toml\"\n[source]\nseed = 7\n", "d.toml", "/x");
  CHECK(c.source.kind == SourceKind::sim);
  CHECK(c.source.seed == 7);
  CHECK_FALSE(c.source.scenario.has_value());
  CHECK(c.database == "/var/lib/roadspeed/roadspeed.db");
  CHECK(c.retention_days == 90);
  CHECK_FALSE(c.vehicles_file.has_value());
  CHECK(c.journal_dir == "/var/lib/roadspeed/journal");
  CHECK_FALSE(c.journal_radar_edges);
  CHECK(c.health.stuck_after_ns == 120'000'000'000);
}

TEST_CASE("the stuck threshold is set in whole seconds under [health]", "[service]") {
  const DaemonConfig c = parse_daemon_config("site_file = \"s.toml\"\n[health]\nstuck_after_s = 5\n", "d.toml", "/x");
  CHECK(c.health.stuck_after_ns == 5'000'000'000);
  CHECK(error_of("site_file = \"s.toml\"\n[health]\nstuck_after_s = 0\n") ==
        "d.toml:3: [health] stuck_after_s must be 1 to 86400");
  CHECK(error_of("site_file = \"s.toml\"\n[health]\nstuck_after_s = 1.5\n") ==
        "d.toml:3: 'stuck_after_s' must be an integer");
  CHECK(error_of("site_file = \"s.toml\"\n[health]\nsilent_after = 3\n") ==
        "d.toml:3: unknown key 'silent_after' in [health]");
}

TEST_CASE("configuration errors name the file, the line and what is wrong", "[service]") {
  CHECK(error_of("site_file = \"s.toml\"\nsite_flie = 3\n") == "d.toml:2: unknown key 'site_flie'");
  CHECK(error_of("site_file = \"s.toml\"\n[source]\nkind = \"replay\"\nspeed = 1\n") ==
        "d.toml:4: unknown key 'speed' in [source]");
  CHECK(error_of("site_file = \"s.toml\"\n[source]\nkind = \"radio\"\n") ==
        "d.toml:3: [source] kind must be \"gpio\", \"sim\" or \"replay\", not \"radio\"");
  CHECK(error_of("site_file = \"s.toml\"\n[source]\nkind = \"replay\"\n") ==
        "d.toml:2: [source] kind = \"replay\" needs 'trace'");
  CHECK(error_of("site_file = \"s.toml\"\n[source]\npace = \"slow\"\n") ==
        "d.toml:3: [source] pace must be \"recorded\" or \"fast\", not \"slow\"");
  CHECK(error_of("site_file = 3\n") == "d.toml:1: 'site_file' must be a string");
  CHECK(error_of("vehicles_file = \"v.csv\"\n") == "d.toml:1: missing 'site_file'");
  CHECK(error_of("site_file = \"s.toml\"\n[source\n").rfind("d.toml:2: ", 0) == 0);
}

TEST_CASE("radar inputs' raw edges are journaled only with [journal] radar_edges = true", "[service]") {
  CHECK(parse_daemon_config("site_file = \"s.toml\"\n[journal]\nradar_edges = true\n", "d.toml", "/x").journal_radar_edges);
  CHECK_FALSE(
      parse_daemon_config("site_file = \"s.toml\"\n[journal]\nradar_edges = false\n", "d.toml", "/x").journal_radar_edges);
  CHECK(error_of("site_file = \"s.toml\"\n[journal]\nradar_edges = 1\n") == "d.toml:3: 'radar_edges' must be true or false");
  CHECK(error_of("site_file = \"s.toml\"\n[journal]\nradar_edge = true\n") == "d.toml:3: unknown key 'radar_edge' in [journal]");
}
