// Reads the site file (spec/interfaces.md §2) into a Site. Every error is one
// line, FILE:LINE: message, so the file can be fixed at the roadside from that
// line alone; unknown keys are errors so a typo never silently changes a
// measurement. docs/site-file.md documents every key read here.
#include <toml++/toml.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <map>
#include <span>
#include <sstream>
#include <system_error>
#include <utility>
#include <vector>

#include "daemon/site/site.hpp"

namespace roadspeed {
namespace {

using Line = std::uint32_t;

// The schema: every key each table accepts. Which keys are required, and the
// defaults, are in the read_* functions below.
constexpr std::string_view kSiteKeys[] = {"id", "name", "timezone", "speed_limit_kmh",
                                          "bike_path_limit_kmh"};
constexpr std::string_view kInputKeys[] = {"name", "chip", "line", "active_low", "bias"};
constexpr std::string_view kTrapKeys[] = {
    "id", "first", "second", "spacing_m", "loop_length_m", "forward", "reverse", "kind"};
constexpr std::string_view kRadarKeys[] = {
    "id",      "input",   "input_q",          "carrier_ghz",      "angle_deg",
    "forward", "reverse", "forward_offset_m", "reverse_offset_m", "kind"};
constexpr std::string_view kClassKeys[] = {"two_wheeler_max_m", "car_max_m", "van_max_m",
                                           "truck_max_m"};
constexpr double LengthClasses::*kClassFields[] = {
    &LengthClasses::two_wheeler_max_m, &LengthClasses::car_max_m, &LengthClasses::van_max_m,
    &LengthClasses::truck_max_m};
constexpr std::string_view kThresholdKeys[] = {"name", "scale", "offset_kmh"};

struct Section {
  std::string_view name;
  bool is_array;  // written [[name]], else [name]
  std::span<const std::string_view> keys;
};

constexpr Section kSections[] = {
    {"site", false, kSiteKeys},     {"input", true, kInputKeys},
    {"trap", true, kTrapKeys},      {"radar", true, kRadarKeys},
    {"classes", false, kClassKeys}, {"threshold", true, kThresholdKeys}};

template <class E>
struct Option {
  std::string_view text;
  E value;
};

constexpr Option<Bias> kBiases[] = {{"pull-up", Bias::pull_up},
                                    {"pull-down", Bias::pull_down},
                                    {"disabled", Bias::disabled},
                                    {"as-is", Bias::as_is}};
constexpr Option<DetectorKind> kKinds[] = {{"road", DetectorKind::road},
                                           {"bike_path", DetectorKind::bike_path}};

constexpr std::size_t kMaxInputs = 65535;     // InputId is 16 bits
constexpr std::int64_t kMaxGpioLine = 65535;  // the kernel counts a chip's lines in 16 bits
constexpr double kMaxAngleDeg = 80;           // near 90°, 1/cos(angle) turns noise into speed

std::string label(const Section& s) {
  const std::string name(s.name);
  return s.is_array ? "[[" + name + "]]" : "[" + name + "]";
}

const Section* find_section(std::string_view name) {
  const auto it = std::find_if(std::begin(kSections), std::end(kSections),
                               [&](const Section& s) { return s.name == name; });
  return it == std::end(kSections) ? nullptr : &*it;
}

const Section& section(std::string_view name) {
  return *find_section(name);
}

// User text inside a message: quoted, control characters escaped, so the
// message stays on one line.
std::string shown(std::string_view text) {
  std::string out = "'";
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x20 && byte != 0x7f) {
      out += c;
      continue;
    }
    std::array<char, 5> hex{};
    std::snprintf(hex.data(), hex.size(), "\\x%02x", byte);
    out += hex.data();
  }
  return out + "'";
}

// The shortest text that reads back as `v`: "3", "1.5", "24.125".
std::string shown(double v) {
  std::array<char, 32> buf{};
  const auto result = std::to_chars(buf.data(), buf.data() + buf.size(), v);
  return std::string(buf.data(), result.ptr);
}

std::string_view type_name(toml::node_type type) {
  switch (type) {
    case toml::node_type::table:
      return "a table";
    case toml::node_type::array:
      return "an array";
    case toml::node_type::string:
      return "a string";
    case toml::node_type::integer:
      return "an integer";
    case toml::node_type::floating_point:
      return "a float";
    case toml::node_type::boolean:
      return "a boolean";
    case toml::node_type::date:
      return "a date";
    case toml::node_type::time:
      return "a time";
    case toml::node_type::date_time:
      return "a date-time";
    case toml::node_type::none:
      break;
  }
  return "nothing";
}

// toml++ leaves a line unset (0) on nodes it made up, e.g. implicit tables.
Line line_of(const toml::source_region& where) {
  return std::max<Line>(where.begin.line, 1);
}
Line line_of(const toml::node& node) {
  return line_of(node.source());
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = up;
    }
  }
  return row[b.size()];
}

// A near miss gets a suggestion; anything else gets the list of keys.
std::string expected_keys(std::string_view key, std::span<const std::string_view> keys) {
  std::string_view best;
  std::size_t best_distance = 3;  // more edits than this is not a typo
  for (const auto known : keys) {
    const std::size_t d = edit_distance(key, known);
    // Short keys are a few edits from anything: demand most of the text to match.
    if (d < best_distance && d <= std::min(key.size(), known.size()) / 2) {
      best = known;
      best_distance = d;
    }
  }
  // Appended piecewise, never `"literal" + std::string&&`: GCC 12 at -O3 warns
  // (-Wrestrict, a false positive) on that pattern.
  std::string out;
  if (!best.empty()) {
    out = "; did you mean '";
    out += best;
    out += "'?";
    return out;
  }
  out = "; expected one of:";
  for (const auto known : keys) {
    out += ' ';
    out += known;
  }
  return out;
}

template <class E>
std::string one_of(std::span<const Option<E>> options) {
  std::string out = options.size() > 2 ? "one of " : "";
  for (std::size_t i = 0; i < options.size(); ++i) {
    if (i > 0) out += i + 1 == options.size() ? " or " : ", ";
    out += '"';
    out += options[i].text;
    out += '"';
  }
  return out;
}

bool is_site_id(std::string_view id) {
  return !id.empty() && std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  });
}

bool is_tz_part(std::string_view part) {
  return !part.empty() && std::all_of(part.begin(), part.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-' || c == '+';
  });
}

// "UTC" or Area/City[/Sub], as tzdata names zones; the zone's existence is
// checked where reports convert times.
bool is_timezone(std::string_view tz) {
  if (tz == "UTC") return true;
  if (tz.empty() || tz.front() < 'A' || tz.front() > 'Z') return false;
  std::size_t parts = 0;
  for (std::size_t start = 0; start <= tz.size(); ++parts) {
    const std::size_t slash = std::min(tz.find('/', start), tz.size());
    if (!is_tz_part(tz.substr(start, slash - start))) return false;
    start = slash + 1;
  }
  return parts >= 2;
}

// Names end up in CSV fields (traces, vehicle rows): nothing that breaks a field.
bool is_csv_safe(std::string_view name) {
  return std::none_of(name.begin(), name.end(), [](char c) {
    return c == ',' || c == '"' || static_cast<unsigned char>(c) < 0x20 || c == 0x7f;
  });
}

// Where errors point: the file as the caller named it.
class Source {
 public:
  explicit Source(const std::string& name) : name_(name) {}

  [[noreturn]] void fail(Line line, const std::string& message) const {
    throw InputError(name_ + ":" + std::to_string(line) + ": " + message);
  }

 private:
  const std::string& name_;
};

enum class Kind : std::uint8_t { string, number, integer, boolean };

bool is(const toml::node& node, Kind kind) {
  switch (kind) {
    case Kind::string:
      return node.is_string();
    case Kind::number:
      return node.is_number();
    case Kind::integer:
      return node.is_integer();
    case Kind::boolean:
      return node.is_boolean();
  }
  return false;
}

std::string_view kind_name(Kind kind) {
  switch (kind) {
    case Kind::string:
      return "a string";
    case Kind::number:
      return "a number";
    case Kind::integer:
      return "an integer";
    case Kind::boolean:
      return "a boolean";
  }
  return "a value";
}

// One table of the site file, read key by key. Errors point at the key's line,
// or at the table's header when a required key is missing.
class TableReader {
 public:
  TableReader(const toml::table& table, const Section& section, const Source& source)
      : table_(table), section_(section), source_(source) {
    reject_unknown_keys();
  }

  bool has(std::string_view key) const { return table_.contains(key); }

  Line line(std::string_view key) const {
    const toml::node* node = table_.get(key);
    return node ? line_of(*node) : line_of(table_);
  }

  [[noreturn]] void fail(std::string_view key, const std::string& message) const {
    source_.fail(line(key), message);
  }

  std::optional<std::string> opt_text(std::string_view key) const {
    const toml::node* node = get(key, Kind::string);
    return node ? std::optional(*node->value<std::string>()) : std::nullopt;
  }

  std::optional<double> opt_number(std::string_view key) const {
    const toml::node* node = get(key, Kind::number);
    if (!node) return std::nullopt;
    // toml++ refuses integers beyond 2^53 as doubles; rounding them is harmless here.
    const double v = node->is_integer() ? static_cast<double>(*node->value<std::int64_t>())
                                        : *node->value<double>();
    if (!std::isfinite(v))
      fail(key, std::string(key) + " must be a finite number, got " + shown(v));
    return v;
  }

  std::optional<std::int64_t> opt_integer(std::string_view key) const {
    const toml::node* node = get(key, Kind::integer);
    return node ? node->value<std::int64_t>() : std::nullopt;
  }

  std::optional<bool> opt_flag(std::string_view key) const {
    const toml::node* node = get(key, Kind::boolean);
    return node ? node->value<bool>() : std::nullopt;
  }

  std::string text(std::string_view key) const { return required(key, opt_text(key)); }
  double number(std::string_view key) const { return required(key, opt_number(key)); }
  std::int64_t integer(std::string_view key) const { return required(key, opt_integer(key)); }

 private:
  // The value at `key`, or nullptr when absent; a value of another type is an error.
  const toml::node* get(std::string_view key, Kind kind) const {
    const toml::node* node = table_.get(key);
    if (node && !is(*node, kind)) {
      fail(key, std::string(key) + " must be " + std::string(kind_name(kind)) + ", got " +
                    std::string(type_name(node->type())));
    }
    return node;
  }

  template <class T>
  T required(std::string_view key, std::optional<T> value) const {
    if (!value) {
      fail(key, "missing required key '" + std::string(key) + "' in " + label(section_));
    }
    return *std::move(value);
  }

  void reject_unknown_keys() const {
    for (auto&& [key, node] : table_) {
      const auto& keys = section_.keys;
      if (std::find(keys.begin(), keys.end(), key.str()) != keys.end()) continue;
      source_.fail(line_of(key.source()), "unknown key " + shown(key.str()) + " in " +
                                              label(section_) + expected_keys(key.str(), keys));
    }
  }

  const toml::table& table_;
  const Section& section_;
  const Source& source_;
};

double positive(const TableReader& r, std::string_view key) {
  const double v = r.number(key);
  if (!(v > 0)) r.fail(key, std::string(key) + " must be > 0, got " + shown(v));
  return v;
}

std::optional<double> opt_positive(const TableReader& r, std::string_view key) {
  return r.has(key) ? std::optional(positive(r, key)) : std::nullopt;
}

std::optional<double> opt_offset(const TableReader& r, std::string_view key) {
  const auto v = r.opt_number(key);
  if (v && *v < 0) r.fail(key, std::string(key) + " must be >= 0, got " + shown(*v));
  return v;
}

std::string nonempty(const TableReader& r, std::string_view key) {
  std::string v = r.text(key);
  if (v.empty()) r.fail(key, std::string(key) + " must not be empty");
  return v;
}

// An input name, detector id, direction or threshold name.
std::string name(const TableReader& r, std::string_view key) {
  std::string v = nonempty(r, key);
  if (!is_csv_safe(v)) {
    r.fail(key, std::string(key) +
                    " must not contain commas, double quotes or control characters, got " +
                    shown(v));
  }
  return v;
}

template <class E>
E choice(const TableReader& r, std::string_view key, std::span<const Option<E>> options,
         E fallback) {
  const auto text = r.opt_text(key);
  if (!text) return fallback;
  for (const auto& option : options) {
    if (option.text == *text) return option.value;
  }
  r.fail(key, std::string(key) + " must be " + one_of(options) + ", got " + shown(*text));
}

unsigned gpio_line(const TableReader& r) {
  const std::int64_t v = r.integer("line");
  if (v < 0 || v > kMaxGpioLine) {
    r.fail("line",
           "line must be in [0, " + std::to_string(kMaxGpioLine) + "], got " + std::to_string(v));
  }
  return static_cast<unsigned>(v);
}

void read_directions(const TableReader& r, std::string& forward, std::string& reverse) {
  forward = name(r, "forward");
  if (!r.has("reverse")) return;
  reverse = name(r, "reverse");
  if (reverse == forward) {
    r.fail("reverse", "reverse must differ from forward, both are " + shown(forward));
  }
}

DetectorKind read_kind(const TableReader& r) {
  return choice<DetectorKind>(r, "kind", kKinds, DetectorKind::road);
}

// Builds the Site table by table, remembering what each name already refers
// to so that a clash names both places.
class SiteBuilder {
 public:
  explicit SiteBuilder(const Source& source) : source_(source) {}

  Site build(const toml::table& root) {
    check_top_level(root);
    const auto* site = root.get_as<toml::table>("site");
    if (!site) source_.fail(1, "missing required table [site]");
    read_site(TableReader(*site, section("site"), source_));
    check_input_count(root);
    for_each(root, "input", &SiteBuilder::read_input);
    for_each(root, "trap", &SiteBuilder::read_trap);  // traps are detectors 0..N-1
    for_each(root, "radar", &SiteBuilder::read_radar);
    if (const auto* classes = root.get_as<toml::table>("classes")) {
      read_classes(TableReader(*classes, section("classes"), source_));
    }
    for_each(root, "threshold", &SiteBuilder::read_threshold);
    return std::move(site_);
  }

 private:
  struct InputEntry {
    InputId id;
    Line line;
  };
  using Reader = void (SiteBuilder::*)(const TableReader&);

  void check_top_level(const toml::table& root) const {
    for (auto&& [key, node] : root) {
      const Section* s = find_section(key.str());
      if (!s) source_.fail(line_of(key.source()), unknown_top_level(key.str(), node));
      if (s->is_array ? node.is_array() : node.is_table()) continue;
      source_.fail(line_of(key.source()),
                   std::string(key.str()) + " must be " +
                       (s->is_array ? "an array of tables, written " : "a table, written ") +
                       label(*s) + ", got " + std::string(type_name(node.type())));
    }
  }

  static std::string unknown_top_level(std::string_view key, const toml::node& node) {
    std::string expected;
    for (const auto& s : kSections) {
      expected += ' ';  // not `" " + label(s)`: see expected_keys
      expected += label(s);
    }
    if (!node.is_table() && !node.is_array_of_tables()) {
      return "unknown key " + shown(key) + " at top level; expected a table:" + expected;
    }
    const Section what{key, node.is_array(), {}};
    return "unknown table " + label(what) + "; expected one of:" + expected;
  }

  void check_input_count(const toml::table& root) const {
    const auto* inputs = root.get_as<toml::array>("input");
    if (!inputs || inputs->size() <= kMaxInputs) return;
    source_.fail(
        line_of((*inputs)[kMaxInputs]),
        "too many inputs: at most " + std::to_string(kMaxInputs) + " [[input]] tables are allowed");
  }

  void for_each(const toml::table& root, std::string_view name, Reader read) {
    const Section& s = section(name);
    const auto* tables = root.get_as<toml::array>(name);
    if (!tables) return;
    for (const toml::node& node : *tables) {
      const auto* table = node.as_table();
      if (!table) {
        source_.fail(line_of(node), "each " + label(s) + " must be a table, got " +
                                        std::string(type_name(node.type())));
      }
      (this->*read)(TableReader(*table, s, source_));
    }
  }

  void read_site(const TableReader& r) {
    site_.id = r.text("id");
    if (!is_site_id(site_.id)) r.fail("id", "id must match [a-z0-9-]+, got " + shown(site_.id));
    site_.name = nonempty(r, "name");
    site_.timezone = r.text("timezone");
    if (!is_timezone(site_.timezone)) {
      r.fail("timezone",
             "timezone must be 'UTC' or an Area/City name such as 'Europe/Stockholm', got " +
                 shown(site_.timezone));
    }
    site_.speed_limit_kmh = positive(r, "speed_limit_kmh");
    site_.bike_path_limit_kmh =
        opt_positive(r, "bike_path_limit_kmh").value_or(site_.bike_path_limit_kmh);
  }

  void read_input(const TableReader& r) {
    Input in;
    in.name = name(r, "name");
    in.chip = nonempty(r, "chip");
    in.line = gpio_line(r);
    in.active_low = r.opt_flag("active_low").value_or(false);
    in.bias = choice<Bias>(r, "bias", kBiases, Bias::as_is);
    register_input(r, in);
    site_.inputs.push_back(std::move(in));
  }

  void register_input(const TableReader& r, const Input& in) {
    const InputEntry entry{static_cast<InputId>(site_.inputs.size()), r.line("name")};
    const auto [named, fresh_name] = inputs_.try_emplace(in.name, entry);
    if (!fresh_name) {
      r.fail("name", "duplicate input name " + shown(in.name) + ", first defined on line " +
                         std::to_string(named->second.line));
    }
    const auto [wired, fresh_line] = wiring_.try_emplace({in.chip, in.line}, in.name);
    if (!fresh_line) {
      r.fail("line", "chip " + shown(in.chip) + " line " + std::to_string(in.line) +
                         " is already used by input " + shown(wired->second));
    }
  }

  void read_trap(const TableReader& r) {
    Trap t;
    t.id = detector_id(r);
    t.first = input_ref(r, "first");
    t.second = input_ref(r, "second");
    if (t.first == t.second) {
      r.fail("second", "first and second must be different inputs, both are " +
                           shown(site_.inputs[t.first].name));
    }
    claim(r, "first", t.first, "[[trap]] " + shown(t.id));
    claim(r, "second", t.second, "[[trap]] " + shown(t.id));
    t.spacing_m = positive(r, "spacing_m");
    t.loop_length_m = positive(r, "loop_length_m");
    if (t.loop_length_m > t.spacing_m) {
      r.fail("loop_length_m", "loop_length_m must be <= spacing_m (" + shown(t.spacing_m) +
                                  ") so that the loops do not overlap, got " +
                                  shown(t.loop_length_m));
    }
    read_directions(r, t.forward, t.reverse);
    t.kind = read_kind(r);
    site_.traps.push_back(std::move(t));
  }

  void read_radar(const TableReader& r) {
    Radar d;
    d.id = detector_id(r);
    read_radar_inputs(r, d);
    d.carrier_ghz = positive(r, "carrier_ghz");
    d.angle_deg = r.number("angle_deg");
    if (!(d.angle_deg >= 0 && d.angle_deg < kMaxAngleDeg)) {
      r.fail("angle_deg",
             "angle_deg must be in [0, " + shown(kMaxAngleDeg) + "), got " + shown(d.angle_deg));
    }
    read_directions(r, d.forward, d.reverse);
    if (!d.reverse.empty() && !d.input_q) {
      r.fail("reverse",
             "reverse needs input_q: without a quadrature channel the radar "
             "cannot tell the directions apart");
    }
    d.forward_offset_m = opt_offset(r, "forward_offset_m");
    d.reverse_offset_m = opt_offset(r, "reverse_offset_m");
    if (d.reverse_offset_m && d.reverse.empty()) {
      r.fail("reverse_offset_m", "reverse_offset_m needs a reverse direction");
    }
    d.kind = read_kind(r);
    site_.radars.push_back(std::move(d));
  }

  void read_radar_inputs(const TableReader& r, Radar& d) {
    d.input = input_ref(r, "input");
    if (r.has("input_q")) d.input_q = input_ref(r, "input_q");
    if (d.input_q == d.input) {
      r.fail("input_q",
             "input_q must differ from input, both are " + shown(site_.inputs[d.input].name));
    }
    claim(r, "input", d.input, "[[radar]] " + shown(d.id));
    if (d.input_q) claim(r, "input_q", *d.input_q, "[[radar]] " + shown(d.id));
  }

  // Traps and radars share one id namespace: vehicle rows name either.
  std::string detector_id(const TableReader& r) {
    std::string id = name(r, "id");
    const auto [seen, fresh] = detectors_.try_emplace(id, r.line("id"));
    if (!fresh) {
      r.fail("id", "duplicate detector id " + shown(id) + ", first used on line " +
                       std::to_string(seen->second) + " (traps and radars share ids)");
    }
    return id;
  }

  InputId input_ref(const TableReader& r, std::string_view key) const {
    const std::string input = r.text(key);
    const auto it = inputs_.find(input);
    if (it == inputs_.end()) {
      r.fail(key, std::string(key) + " names unknown input " + shown(input) +
                      "; expected the name of an [[input]]");
    }
    return it->second.id;
  }

  // One input, one detector: a shared line would count each vehicle twice.
  void claim(const TableReader& r, std::string_view key, InputId input, const std::string& owner) {
    const auto [user, fresh] = users_.try_emplace(input, owner);
    if (!fresh) {
      r.fail(key, "input " + shown(site_.inputs[input].name) + " is already used by " +
                      user->second + "; an input can feed only one detector");
    }
  }

  void read_classes(const TableReader& r) {
    for (std::size_t i = 0; i < std::size(kClassKeys); ++i) {
      if (r.has(kClassKeys[i])) site_.classes.*kClassFields[i] = positive(r, kClassKeys[i]);
    }
    for (std::size_t i = 1; i < std::size(kClassKeys); ++i) check_class_order(r, i);
  }

  // Blames the bound the file gave; a default is only blamed through its neighbour.
  void check_class_order(const TableReader& r, std::size_t i) const {
    const double lower = site_.classes.*kClassFields[i - 1];
    const double upper = site_.classes.*kClassFields[i];
    if (lower < upper) return;
    const std::string lower_key(kClassKeys[i - 1]);
    const std::string upper_key(kClassKeys[i]);
    if (r.has(upper_key)) {
      r.fail(upper_key, upper_key + " must be greater than " + lower_key + " (" + shown(lower) +
                            "), got " + shown(upper));
    }
    r.fail(lower_key, lower_key + " must be less than " + upper_key + " (" + shown(upper) +
                          ", the default), got " + shown(lower));
  }

  void read_threshold(const TableReader& r) {
    Threshold t;
    t.name = name(r, "name");
    const auto [seen, fresh] = thresholds_.try_emplace(t.name, r.line("name"));
    if (!fresh) {
      r.fail("name", "duplicate threshold name " + shown(t.name) + ", first defined on line " +
                         std::to_string(seen->second));
    }
    t.scale = opt_positive(r, "scale").value_or(t.scale);
    t.offset_kmh = r.opt_number("offset_kmh").value_or(t.offset_kmh);
    site_.thresholds.push_back(std::move(t));
  }

  const Source& source_;
  Site site_;
  std::map<std::string, InputEntry, std::less<>> inputs_;
  std::map<std::pair<std::string, unsigned>, std::string> wiring_;  // chip, line -> input
  std::map<InputId, std::string> users_;                            // input -> detector
  std::map<std::string, Line, std::less<>> detectors_;
  std::map<std::string, Line, std::less<>> thresholds_;
};

// toml++ capitalises its messages and may quote raw characters; ours are one
// lower-case line.
std::string syntax_message(std::string_view description) {
  std::string out(description);
  if (!out.empty() && out[0] >= 'A' && out[0] <= 'Z')
    out[0] = static_cast<char>(out[0] - 'A' + 'a');
  std::replace_if(
      out.begin(), out.end(), [](char c) { return c == '\n' || c == '\r'; }, ' ');
  return out;
}

toml::table parse_toml(std::string_view text, const Source& source,
                       const std::string& source_name) {
  try {
    return toml::parse(text, std::string_view(source_name));
  } catch (const toml::parse_error& e) {
    source.fail(line_of(e.source()), syntax_message(e.description()));
  }
}

}  // namespace

Site parse_site(std::string_view toml_text, const std::string& source_name) {
  const Source source(source_name);
  const toml::table root = parse_toml(toml_text, source, source_name);
  return SiteBuilder(source).build(root);
}

Site load_site_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw InputError(path.string() + ": cannot open site file: " + std::strerror(errno));
  }
  // A directory opens, then reads as an empty file: say what is wrong instead.
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    throw InputError(path.string() + ": cannot open site file: " + std::strerror(EISDIR));
  }
  std::ostringstream text;
  text << in.rdbuf();
  return parse_site(text.str(), path.string());
}

}  // namespace roadspeed
