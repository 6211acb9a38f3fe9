#include "daemon/service/daemon_config.hpp"

#include <toml++/toml.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "daemon/site/site.hpp"

namespace roadspeed {
namespace {

// The schema: every key of every table, in one place.
struct TableSchema {
  std::string_view table;  // "" for the top level
  std::array<std::string_view, 8> keys;
};
constexpr TableSchema kSchema[] = {
    {"", {"site_file", "database", "retention_days", "vehicles_file", "monitor_socket", "source", "journal", "health"}},
    {"source", {"kind", "scenario", "seed", "trace", "pace", "backend"}},
    {"journal", {"dir", "max_file_mb", "max_file_minutes", "max_total_mb", "max_age_days", "radar_edges"}},
    {"health", {"stuck_after_s"}},
};
// A day: a loop occupied longer than that is stuck whatever stands on it.
constexpr std::int64_t kMaxStuckAfterS = 24 * 3600;

class ConfigReader {
 public:
  ConfigReader(std::string name, std::filesystem::path base) : name_(std::move(name)), base_(std::move(base)) {}

  [[noreturn]] void fail(const toml::source_region& where, const std::string& what) const {
    throw InputError(name_ + ":" + std::to_string(where.begin.line) + ": " + what);
  }

  void check_keys(const toml::table& t, const TableSchema& schema) const {
    for (const auto& [key, value] : t) {
      bool known = false;
      for (std::string_view k : schema.keys) known = known || (!k.empty() && k == key.str());
      if (!known)
        fail(key.source(), "unknown key '" + std::string(key.str()) + "'" +
                               (schema.table.empty() ? std::string() : " in [" + std::string(schema.table) + "]"));
    }
  }

  std::optional<std::string> string(const toml::table& t, std::string_view key) const {
    const toml::node* n = t.get(key);
    if (!n) return std::nullopt;
    if (!n->is_string()) fail(n->source(), "'" + std::string(key) + "' must be a string");
    return n->as_string()->get();
  }

  std::optional<bool> boolean(const toml::table& t, std::string_view key) const {
    const toml::node* n = t.get(key);
    if (!n) return std::nullopt;
    if (!n->is_boolean()) fail(n->source(), "'" + std::string(key) + "' must be true or false");
    return n->as_boolean()->get();
  }

  std::optional<std::filesystem::path> path(const toml::table& t, std::string_view key) const {
    auto s = string(t, key);
    if (!s) return std::nullopt;
    if (s->empty()) fail(t.get(key)->source(), "'" + std::string(key) + "' must not be empty");
    return base_ / *s;
  }

  std::optional<std::int64_t> integer(const toml::table& t, std::string_view key) const {
    const toml::node* n = t.get(key);
    if (!n) return std::nullopt;
    if (!n->is_integer()) fail(n->source(), "'" + std::string(key) + "' must be an integer");
    return n->as_integer()->get();
  }

  const toml::table& table(const toml::table& t, std::string_view key) const {
    static const toml::table empty;
    const toml::node* n = t.get(key);
    if (!n) return empty;
    if (!n->is_table()) fail(n->source(), "'" + std::string(key) + "' must be a table");
    return *n->as_table();
  }

  const std::string& name() const { return name_; }

 private:
  std::string name_;
  std::filesystem::path base_;
};

SourceConfig read_source(const ConfigReader& r, const toml::table& t, const toml::source_region& where) {
  r.check_keys(t, kSchema[1]);
  SourceConfig s;
  const std::string kind = r.string(t, "kind").value_or("sim");
  if (kind == "sim") {
    s.kind = SourceKind::sim;
  } else if (kind == "replay") {
    s.kind = SourceKind::replay;
  } else if (kind == "gpio") {
    s.kind = SourceKind::gpio;
  } else {
    r.fail(t.get("kind")->source(), "[source] kind must be \"gpio\", \"sim\" or \"replay\", not \"" + kind + "\"");
  }
  s.backend = r.string(t, "backend").value_or(s.backend);
  s.scenario = r.path(t, "scenario");
  if (auto seed = r.integer(t, "seed")) {
    if (*seed < 0) r.fail(t.get("seed")->source(), "[source] seed must not be negative");
    s.seed = static_cast<std::uint64_t>(*seed);
  }
  const std::string pace = r.string(t, "pace").value_or("recorded");
  if (pace == "recorded") {
    s.pace = Pace::recorded;
  } else if (pace == "fast") {
    s.pace = Pace::fast;
  } else {
    r.fail(t.get("pace")->source(), "[source] pace must be \"recorded\" or \"fast\", not \"" + pace + "\"");
  }
  auto trace = r.path(t, "trace");
  if (s.kind == SourceKind::replay) {
    if (!trace) r.fail(where, "[source] kind = \"replay\" needs 'trace'");
    s.trace = *trace;
  } else if (trace) {
    r.fail(t.get("trace")->source(), "[source] 'trace' is for kind = \"replay\"");
  }
  return s;
}

// A positive whole number of `unit`s, from key `key` of [journal].
template <typename T>
void read_limit(const ConfigReader& r, const toml::table& t, std::string_view key, T& into, std::int64_t unit) {
  if (auto v = r.integer(t, key)) {
    if (*v <= 0) r.fail(t.get(key)->source(), "[journal] " + std::string(key) + " must be above 0");
    into = T(*v * unit);
  }
}

void read_journal(const ConfigReader& r, const toml::table& t, DaemonConfig& c) {
  r.check_keys(t, kSchema[2]);
  c.journal_dir = r.path(t, "dir").value_or(c.database.parent_path() / "journal");
  JournalLimits& l = c.journal_limits;
  read_limit(r, t, "max_file_mb", l.max_file_bytes, 1 << 20);
  read_limit(r, t, "max_total_mb", l.max_total_bytes, 1 << 20);
  read_limit(r, t, "max_file_minutes", l.max_file_age, 60);
  read_limit(r, t, "max_age_days", l.max_age, 24 * 3600);
  c.journal_radar_edges = r.boolean(t, "radar_edges").value_or(false);
}

void read_health(const ConfigReader& r, const toml::table& t, DaemonConfig& c) {
  r.check_keys(t, kSchema[3]);
  if (auto v = r.integer(t, "stuck_after_s")) {
    if (*v <= 0 || *v > kMaxStuckAfterS)
      r.fail(t.get("stuck_after_s")->source(),
             "[health] stuck_after_s must be 1 to " + std::to_string(kMaxStuckAfterS));
    c.health.stuck_after_ns = *v * 1'000'000'000;
  }
}

}  // namespace

DaemonConfig parse_daemon_config(std::string_view toml_text, const std::string& source_name,
                                 const std::filesystem::path& base_dir) {
  toml::table root;
  try {
    root = toml::parse(toml_text, source_name);
  } catch (const toml::parse_error& e) {
    throw InputError(source_name + ":" + std::to_string(e.source().begin.line) + ": " +
                     std::string(e.description()));
  }
  const ConfigReader r(source_name, base_dir);
  r.check_keys(root, kSchema[0]);
  DaemonConfig c;
  auto site = r.path(root, "site_file");
  if (!site) r.fail(root.source(), "missing 'site_file'");
  c.site_file = *site;
  if (auto v = r.path(root, "database")) c.database = *v;
  if (auto v = r.integer(root, "retention_days")) {
    if (*v <= 0 || *v > 100 * 365) r.fail(root.get("retention_days")->source(), "retention_days must be 1 to 36500");
    c.retention_days = static_cast<int>(*v);
  }
  c.vehicles_file = r.path(root, "vehicles_file");
  if (auto v = r.path(root, "monitor_socket")) c.monitor_socket = *v;
  const toml::node* source = root.get("source");
  c.source = read_source(r, r.table(root, "source"), source ? source->source() : root.source());
  read_journal(r, r.table(root, "journal"), c);
  read_health(r, r.table(root, "health"), c);
  return c;
}

DaemonConfig load_daemon_config(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path.string() + ": cannot open: " + std::strerror(errno));
  std::ostringstream text;
  text << in.rdbuf();
  return parse_daemon_config(text.str(), path.string(), path.parent_path());
}

}  // namespace roadspeed
