// The daemon's own configuration file (roadspeedd --config FILE): where the
// site file is, which edge source to read and where vehicles go. Separate
// from the site file, which says what is on the road. docs/daemon.md lists
// every key with its default.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "daemon/health/sensor_health.hpp"
#include "daemon/journal/edge_journal.hpp"
#include "drivers/paced/paced_edge_source.hpp"

namespace roadspeed {

enum class SourceKind : std::uint8_t { sim, replay, gpio };

struct SourceConfig {
  SourceKind kind = SourceKind::sim;
  std::optional<std::filesystem::path> scenario;  // sim: traffic and cards; default a villa street
  std::uint64_t seed = 1;                          // sim
  std::filesystem::path trace;                     // replay: trace or gpiomon log
  Pace pace = Pace::recorded;                      // replay
  std::string backend = "libgpiod1";               // gpio: drivers/gpio/gpio_backends.cpp
};

struct DaemonConfig {
  std::filesystem::path site_file;
  // The SQLite store (docs/storage.md): vehicles, bins, fault spans.
  std::filesystem::path database = "/var/lib/roadspeed/roadspeed.db";
  int retention_days = 90;  // per-vehicle rows; bins are kept for ever
  // Optional: vehicles also appended to this CSV file (spec/interfaces.md
  // §3), for commissioning and the demo.
  std::optional<std::filesystem::path> vehicles_file;
  // The live feed `roadspeed monitor` reads (systemd's RuntimeDirectory).
  std::filesystem::path monitor_socket = "/run/roadspeed/monitor.sock";
  SourceConfig source;
  // The raw edge journal: by default a `journal` folder beside the database.
  std::filesystem::path journal_dir;
  JournalLimits journal_limits;
  // Radar inputs' raw edges are journaled too (their passes always are).
  bool journal_radar_edges = false;
  HealthSettings health;  // [health]: the sensor-fault thresholds a daemon may set
};

// Paths in the file are relative to the file's own folder. Throws
// InputError ("FILE:LINE: message") for unknown keys, wrong types, values
// out of range and missing required keys.
DaemonConfig load_daemon_config(const std::filesystem::path& path);
DaemonConfig parse_daemon_config(std::string_view toml_text, const std::string& source_name,
                                 const std::filesystem::path& base_dir);

}  // namespace roadspeed
