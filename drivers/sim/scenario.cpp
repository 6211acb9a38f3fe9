// Reading and checking scenario files. The reader knows every key (an unknown
// one is an error naming its line); the checker holds every range, so a
// scenario built in code is held to the same rules as one read from a file.
#include "drivers/sim/scenario.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <sstream>
#include <toml++/toml.h>
#include <vector>

#include "daemon/site/site.hpp"

namespace roadspeed {
namespace {

constexpr std::array<std::string_view, vehicle_kind_count> kind_names{
    "two_wheeler", "car", "van", "truck", "articulated"};

std::string format_number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

// Where each key was found ("cards.jitter_ms" -> line), for messages about
// values that are only wrong in combination.
using LineMap = std::map<std::string, std::int64_t>;

[[noreturn]] void fail(const std::string& source, std::int64_t line, const std::string& message) {
  throw InputError(source + ":" + std::to_string(line) + ": " + message);
}

std::int64_t line_of(const toml::node& n) { return static_cast<std::int64_t>(n.source().begin.line); }

// Reads the keys of one table into their fields; what is left over is unknown.
class TableReader {
 public:
  TableReader(const toml::table& table, std::string path, const std::string& source, LineMap& lines)
      : table_(table), path_(std::move(path)), source_(source), lines_(lines) {}

  void number(std::string_view key, double& out) {
    if (const toml::node* n = take(key)) {
      if (!n->is_number()) fail(source_, line_of(*n), where() + std::string(key) + " must be a number");
      out = n->value<double>().value_or(0.0);
    }
  }
  void number(std::string_view key, std::optional<double>& out) {
    double v = 0;
    if (table_.contains(key)) {
      number(key, v);
      out = v;
    }
  }
  void integer(std::string_view key, int& out) {
    if (const toml::node* n = take(key)) {
      const auto v = n->value_exact<std::int64_t>();
      if (!v || *v < -1'000'000 || *v > 1'000'000)
        fail(source_, line_of(*n), where() + std::string(key) + " must be an integer");
      out = static_cast<int>(*v);
    }
  }
  void boolean(std::string_view key, bool& out) {
    if (const toml::node* n = take(key)) {
      const auto v = n->value_exact<bool>();
      if (!v) fail(source_, line_of(*n), where() + std::string(key) + " must be true or false");
      out = *v;
    }
  }
  void text(std::string_view key, std::string& out) {
    if (const toml::node* n = take(key)) {
      const auto v = n->value_exact<std::string>();
      if (!v) fail(source_, line_of(*n), where() + std::string(key) + " must be a string");
      out = *v;
    }
  }
  template <std::size_t N>
  void numbers(std::string_view key, std::array<double, N>& out) {
    if (const toml::node* n = take(key)) {
      const toml::array* a = n->as_array();
      if (!a || a->size() != N)
        fail(source_, line_of(*n),
             where() + std::string(key) + " must be an array of " + std::to_string(N) + " numbers");
      for (std::size_t i = 0; i < N; ++i) {
        const toml::node& e = *a->get(i);
        if (!e.is_number())
          fail(source_, line_of(e), where() + std::string(key) + " must be an array of numbers");
        out[i] = e.value<double>().value_or(0.0);
      }
    }
  }
  const toml::table* table(std::string_view key) {
    if (const toml::node* n = take(key)) {
      if (!n->is_table()) fail(source_, line_of(*n), where() + std::string(key) + " must be a table");
      return n->as_table();
    }
    return nullptr;
  }
  // Every key must have been read: the first unknown one (by line) is an error.
  void finish() const {
    const std::pair<std::int64_t, std::string>* first = nullptr;
    std::vector<std::pair<std::int64_t, std::string>> unknown;
    for (auto&& [key, node] : table_)
      if (!seen_.count(std::string(key.str())))
        unknown.emplace_back(static_cast<std::int64_t>(key.source().begin.line), std::string(key.str()));
    for (const auto& u : unknown)
      if (!first || u.first < first->first) first = &u;
    if (first)
      fail(source_, first->first,
           "unknown key '" + first->second + "' in " + (path_.empty() ? "the scenario" : "[" + path_ + "]"));
  }

 private:
  const toml::node* take(std::string_view key) {
    seen_.emplace(key);
    const toml::node* n = table_.get(key);
    if (n) lines_[path_.empty() ? std::string(key) : path_ + "." + std::string(key)] = line_of(*n);
    return n;
  }
  std::string where() const { return path_.empty() ? "" : "[" + path_ + "] "; }

  const toml::table& table_;
  std::string path_;
  const std::string& source_;
  LineMap& lines_;
  std::set<std::string, std::less<>> seen_;
};

void read_kind(const toml::table& t, VehicleKind kind, const std::string& source, LineMap& lines,
               KindTraffic& k) {
  TableReader r(t, "traffic." + std::string(to_string(kind)), source, lines);
  r.number("share", k.share);
  r.number("length_mean_m", k.length_mean_m);
  r.number("length_sd_m", k.length_sd_m);
  r.number("length_min_m", k.length_min_m);
  r.number("length_max_m", k.length_max_m);
  r.number("speed_offset_kmh", k.speed_offset_kmh);
  r.number("speed_sd_kmh", k.speed_sd_kmh);
  r.number("front_inset_min_m", k.front_inset_min_m);
  r.number("front_inset_max_m", k.front_inset_max_m);
  r.number("rear_inset_min_m", k.rear_inset_min_m);
  r.number("rear_inset_max_m", k.rear_inset_max_m);
  if (kind == VehicleKind::articulated) {
    r.number("hitch_gap_min_m", k.hitch_gap_min_m);
    r.number("hitch_gap_max_m", k.hitch_gap_max_m);
  }
  r.finish();
}

void read_traffic(const toml::table& t, const std::string& source, LineMap& lines, TrafficParams& p) {
  TableReader r(t, "traffic", source, lines);
  r.number("volume_vph", p.volume_vph);
  r.number("reverse_volume_vph", p.reverse_volume_vph);
  r.boolean("diurnal", p.diurnal);
  r.numbers("profile", p.profile);
  r.number("utc_offset_h", p.utc_offset_h);
  r.number("speed_mean_kmh", p.speed_mean_kmh);
  r.number("speed_sd_kmh", p.speed_sd_kmh);
  r.number("speed_min_kmh", p.speed_min_kmh);
  r.number("speed_max_kmh", p.speed_max_kmh);
  r.number("accel_sd_mps2", p.accel_sd_mps2);
  r.number("accel_share", p.accel_share);
  r.number("accel_min_mps2", p.accel_min_mps2);
  r.number("accel_max_mps2", p.accel_max_mps2);
  r.number("platoon_share", p.platoon_share);
  r.number("platoon_headway_min_s", p.platoon_headway_min_s);
  r.number("platoon_headway_max_s", p.platoon_headway_max_s);
  r.number("platoon_speed_sd_kmh", p.platoon_speed_sd_kmh);
  r.number("min_gap_m", p.min_gap_m);
  r.number("wrong_way_share", p.wrong_way_share);
  for (int i = 0; i < vehicle_kind_count; ++i) {
    const auto kind = static_cast<VehicleKind>(i);
    if (const toml::table* sub = r.table(to_string(kind))) read_kind(*sub, kind, source, lines, p.kind(kind));
  }
  r.finish();
}

void read_cards(const toml::table& t, const std::string& source, LineMap& lines, CardParams& c) {
  TableReader r(t, "cards", source, lines);
  r.number("on_delay_ms", c.on_delay_ms);
  r.number("off_delay_ms", c.off_delay_ms);
  r.number("jitter_ms", c.jitter_ms);
  r.number("second_offset_ms", c.second_offset_ms);
  r.number("sensitivity_m", c.sensitivity_m);
  r.number("sensitivity_spread_m", c.sensitivity_spread_m);
  r.number("chatter_prob", c.chatter_prob);
  r.integer("chatter_bounces_max", c.chatter_bounces_max);
  r.number("chatter_window_min_ms", c.chatter_window_min_ms);
  r.number("chatter_window_max_ms", c.chatter_window_max_ms);
  r.number("bounce_min_ms", c.bounce_min_ms);
  r.number("bounce_max_ms", c.bounce_max_ms);
  r.number("two_wheeler_miss_prob", c.two_wheeler_miss_prob);
  r.number("spurious_per_hour", c.spurious_per_hour);
  r.number("spurious_min_ms", c.spurious_min_ms);
  r.number("spurious_max_ms", c.spurious_max_ms);
  r.finish();
}

void read_radar(const toml::table& t, const std::string& source, LineMap& lines, RadarParams& p) {
  TableReader r(t, "radar", source, lines);
  r.number("beam_half_width_deg", p.beam_half_width_deg);
  r.number("reference_range_m", p.reference_range_m);
  r.number("detect_min", p.detect_min);
  r.number("detect_full", p.detect_full);
  r.number("phase_jitter", p.phase_jitter);
  r.number("miss_prob", p.miss_prob);
  r.number("extra_per_s", p.extra_per_s);
  r.number("noise_per_s", p.noise_per_s);
  r.number("two_wheeler_strength", p.two_wheeler_strength);
  r.number("forward_offset_m", p.forward_offset_m);
  r.number("reverse_offset_m", p.reverse_offset_m);
  r.number("footprint_near_m", p.footprint_near_m);
  r.number("footprint_far_m", p.footprint_far_m);
  r.finish();
}

// The checker: every range in one place. `key` is "table.key"; the message
// names the file line where that key was set (or line 1 for a default).
class Checker {
 public:
  Checker(const std::string& source, const LineMap* lines) : source_(source), lines_(lines) {}

  void range(const std::string& key, double v, double lo, double hi) const {
    if (!(v >= lo && v <= hi))
      error(key, label(key) + " must be between " + format_number(lo) + " and " + format_number(hi) +
                     " (got " + format_number(v) + ")");
  }
  void ordered(const std::string& lo_key, double lo, const std::string& hi_key, double hi) const {
    // Blame the line that set one of the two: the upper one, else the lower.
    if (lo > hi)
      error(line_of(hi_key) > 0 ? hi_key : lo_key, label(hi_key) + " must not be less than " + short_key(lo_key) +
                                                       " (" + format_number(hi) + " < " + format_number(lo) + ")");
  }
  [[noreturn]] void error(const std::string& key, const std::string& message) const {
    if (const std::int64_t line = line_of(key); line > 0) fail(source_, line, message);
    throw InputError(source_ + ": " + message);
  }

 private:
  std::int64_t line_of(const std::string& key) const {
    if (!lines_) return 0;
    const auto it = lines_->find(key);
    return it == lines_->end() ? 0 : it->second;
  }
  static std::string short_key(const std::string& key) { return key.substr(key.rfind('.') + 1); }
  static std::string label(const std::string& key) {
    const auto dot = key.rfind('.');
    std::string out = "[";
    out.append(key, 0, dot).append("] ").append(key, dot + 1);
    return out;
  }
  const std::string& source_;
  const LineMap* lines_;
};

void check_kind(const Checker& c, const TrafficParams& p, VehicleKind kind) {
  const KindTraffic& k = p.kind(kind);
  const std::string t = "traffic." + std::string(to_string(kind)) + ".";
  c.range(t + "share", k.share, 0, 1e6);
  c.range(t + "length_min_m", k.length_min_m, 0.5, 30);
  c.range(t + "length_max_m", k.length_max_m, 0.5, 30);
  c.ordered(t + "length_min_m", k.length_min_m, t + "length_max_m", k.length_max_m);
  c.range(t + "length_mean_m", k.length_mean_m, k.length_min_m, k.length_max_m);
  c.range(t + "length_sd_m", k.length_sd_m, 0, 10);
  c.range(t + "speed_offset_kmh", k.speed_offset_kmh, -100, 100);
  if (k.speed_sd_kmh) c.range(t + "speed_sd_kmh", *k.speed_sd_kmh, 0, 50);
  c.range(t + "front_inset_min_m", k.front_inset_min_m, 0, 5);
  c.range(t + "front_inset_max_m", k.front_inset_max_m, 0, 5);
  c.ordered(t + "front_inset_min_m", k.front_inset_min_m, t + "front_inset_max_m", k.front_inset_max_m);
  c.range(t + "rear_inset_min_m", k.rear_inset_min_m, 0, 5);
  c.range(t + "rear_inset_max_m", k.rear_inset_max_m, 0, 5);
  c.ordered(t + "rear_inset_min_m", k.rear_inset_min_m, t + "rear_inset_max_m", k.rear_inset_max_m);
  c.range(t + "hitch_gap_min_m", k.hitch_gap_min_m, 0, 5);
  c.range(t + "hitch_gap_max_m", k.hitch_gap_max_m, 0, 5);
  c.ordered(t + "hitch_gap_min_m", k.hitch_gap_min_m, t + "hitch_gap_max_m", k.hitch_gap_max_m);
  // Some metal must remain: the shortest body less the largest insets (and gap).
  const double footprint =
      k.length_min_m - k.front_inset_max_m - k.rear_inset_max_m - k.hitch_gap_max_m;
  if (footprint < 0.3)
    c.error(t + "length_min_m", std::string("[").append(t, 0, t.size() - 1) +
                                    "] the shortest body less the largest insets and hitch gap leaves " +
                                    format_number(footprint) + " m of metal (at least 0.3 m needed)");
}

void check_traffic(const Checker& c, const TrafficParams& p) {
  c.range("traffic.volume_vph", p.volume_vph, 0.001, 3000);
  if (p.reverse_volume_vph) c.range("traffic.reverse_volume_vph", *p.reverse_volume_vph, 0.001, 3000);
  double peak = 0;
  for (double f : p.profile) {
    c.range("traffic.profile", f, 0, 10);
    peak = std::max(peak, f);
  }
  if (p.diurnal && peak <= 0) c.error("traffic.profile", "[traffic] profile must have a factor above 0");
  c.range("traffic.utc_offset_h", p.utc_offset_h, -14, 14);
  c.range("traffic.speed_min_kmh", p.speed_min_kmh, 3, 300);
  c.range("traffic.speed_max_kmh", p.speed_max_kmh, 3, 300);
  c.ordered("traffic.speed_min_kmh", p.speed_min_kmh, "traffic.speed_max_kmh", p.speed_max_kmh);
  c.range("traffic.speed_mean_kmh", p.speed_mean_kmh, p.speed_min_kmh, p.speed_max_kmh);
  c.range("traffic.speed_sd_kmh", p.speed_sd_kmh, 0, 50);
  c.range("traffic.accel_sd_mps2", p.accel_sd_mps2, 0, 5);
  c.range("traffic.accel_share", p.accel_share, 0, 1);
  c.range("traffic.accel_min_mps2", p.accel_min_mps2, 0, 10);
  c.range("traffic.accel_max_mps2", p.accel_max_mps2, 0, 10);
  c.ordered("traffic.accel_min_mps2", p.accel_min_mps2, "traffic.accel_max_mps2", p.accel_max_mps2);
  c.range("traffic.platoon_share", p.platoon_share, 0, 0.95);
  c.range("traffic.platoon_headway_min_s", p.platoon_headway_min_s, 0.2, 10);
  c.range("traffic.platoon_headway_max_s", p.platoon_headway_max_s, 0.2, 10);
  c.ordered("traffic.platoon_headway_min_s", p.platoon_headway_min_s, "traffic.platoon_headway_max_s",
            p.platoon_headway_max_s);
  c.range("traffic.platoon_speed_sd_kmh", p.platoon_speed_sd_kmh, 0, 20);
  c.range("traffic.min_gap_m", p.min_gap_m, 0.2, 20);
  c.range("traffic.wrong_way_share", p.wrong_way_share, 0, 0.5);
  double shares = 0;
  for (int i = 0; i < vehicle_kind_count; ++i) {
    check_kind(c, p, static_cast<VehicleKind>(i));
    shares += p.kinds[static_cast<std::size_t>(i)].share;
  }
  if (shares <= 0) c.error("traffic.car.share", "[traffic] the vehicle kinds' shares must not all be 0");
  // Followers arrive p * mean headway apart on average; the free vehicles
  // need the rest of the mean headway, so the volume has an upper bound.
  const double busiest_vph = std::max(p.volume_vph, p.reverse_volume_vph.value_or(0)) *
                             (p.diurnal ? peak : 1.0);
  const double mean_follow_s = 0.5 * (p.platoon_headway_min_s + p.platoon_headway_max_s);
  if (p.platoon_share * mean_follow_s >= 0.9 * 3600.0 / busiest_vph)
    c.error("traffic.volume_vph", "[traffic] volume_vph " + format_number(busiest_vph) +
                                      " at the busiest hour leaves no room between platoons of share " +
                                      format_number(p.platoon_share) + " (mean follower headway " +
                                      format_number(mean_follow_s) + " s)");
}

void check_cards(const Checker& c, const CardParams& k) {
  c.range("cards.on_delay_ms", k.on_delay_ms, 0, 500);
  c.range("cards.off_delay_ms", k.off_delay_ms, 0, 500);
  c.range("cards.jitter_ms", k.jitter_ms, 0, 50);
  c.range("cards.second_offset_ms", k.second_offset_ms, -50, 50);
  c.range("cards.sensitivity_m", k.sensitivity_m, 0, 1);
  c.range("cards.sensitivity_spread_m", k.sensitivity_spread_m, 0, 0.2);
  c.range("cards.chatter_prob", k.chatter_prob, 0, 1);
  c.range("cards.chatter_bounces_max", k.chatter_bounces_max, 1, 10);
  c.range("cards.chatter_window_min_ms", k.chatter_window_min_ms, 0.1, 50);
  c.range("cards.chatter_window_max_ms", k.chatter_window_max_ms, 0.1, 50);
  c.ordered("cards.chatter_window_min_ms", k.chatter_window_min_ms, "cards.chatter_window_max_ms",
            k.chatter_window_max_ms);
  c.range("cards.bounce_min_ms", k.bounce_min_ms, 0.01, 20);
  c.range("cards.bounce_max_ms", k.bounce_max_ms, 0.01, 20);
  c.ordered("cards.bounce_min_ms", k.bounce_min_ms, "cards.bounce_max_ms", k.bounce_max_ms);
  c.range("cards.two_wheeler_miss_prob", k.two_wheeler_miss_prob, 0, 1);
  c.range("cards.spurious_per_hour", k.spurious_per_hour, 0, 3600);
  c.range("cards.spurious_min_ms", k.spurious_min_ms, 0.1, 10000);
  c.range("cards.spurious_max_ms", k.spurious_max_ms, 0.1, 10000);
  c.ordered("cards.spurious_min_ms", k.spurious_min_ms, "cards.spurious_max_ms", k.spurious_max_ms);
}

void check_radar(const Checker& c, const RadarParams& p) {
  c.range("radar.beam_half_width_deg", p.beam_half_width_deg, 1, 60);
  c.range("radar.reference_range_m", p.reference_range_m, 1, 200);
  c.range("radar.detect_min", p.detect_min, 0.01, 0.9);
  c.range("radar.detect_full", p.detect_full, 0.02, 1);
  c.ordered("radar.detect_min", p.detect_min, "radar.detect_full", p.detect_full);
  c.range("radar.phase_jitter", p.phase_jitter, 0, 0.05);
  c.range("radar.miss_prob", p.miss_prob, 0, 0.5);
  c.range("radar.extra_per_s", p.extra_per_s, 0, 1000);
  c.range("radar.noise_per_s", p.noise_per_s, 0, 1000);
  c.range("radar.two_wheeler_strength", p.two_wheeler_strength, 0.05, 1);
  c.range("radar.forward_offset_m", p.forward_offset_m, 0, 50);
  c.range("radar.reverse_offset_m", p.reverse_offset_m, 0, 50);
  c.range("radar.footprint_near_m", p.footprint_near_m, 1, 200);
  c.range("radar.footprint_far_m", p.footprint_far_m, 2, 300);
  c.ordered("radar.footprint_near_m", p.footprint_near_m, "radar.footprint_far_m", p.footprint_far_m);
}

void check(const Scenario& s, const std::string& source, const LineMap* lines) {
  const Checker c(source, lines);
  check_traffic(c, s.traffic);
  check_cards(c, s.cards);
  check_radar(c, s.radar);
}

}  // namespace

std::string_view to_string(VehicleKind k) { return kind_names.at(static_cast<std::size_t>(k)); }

Scenario parse_scenario(std::string_view toml_text, const std::string& source_name) {
  toml::table root;
  try {
    root = toml::parse(toml_text, source_name);
  } catch (const toml::parse_error& e) {
    fail(source_name, static_cast<std::int64_t>(e.source().begin.line), std::string(e.description()));
  }
  Scenario s;
  LineMap lines;
  TableReader r(root, "", source_name, lines);
  if (const toml::table* t = r.table("scenario")) {
    TableReader meta(*t, "scenario", source_name, lines);
    meta.text("name", s.name);
    meta.text("description", s.description);
    meta.finish();
  }
  if (const toml::table* t = r.table("traffic")) read_traffic(*t, source_name, lines, s.traffic);
  if (const toml::table* t = r.table("cards")) read_cards(*t, source_name, lines, s.cards);
  if (const toml::table* t = r.table("radar")) read_radar(*t, source_name, lines, s.radar);
  r.finish();
  check(s, source_name, &lines);
  return s;
}

Scenario load_scenario(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path.string() + ": cannot open scenario file");
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw InputError(path.string() + ": cannot read scenario file");
  return parse_scenario(text.str(), path.string());
}

void validate_scenario(const Scenario& s, const std::string& source_name) { check(s, source_name, nullptr); }

}  // namespace roadspeed
