// roadspeed-accuracy: scores a per-vehicle CSV from `roadspeed analyze`
// against the simulator's truth CSV and prints one line of figures per run
// (or one JSON object), as scripts/bench-accuracy collects them. The figures
// are defined in calibration/accuracy.hpp and docs/accuracy.md.
#include <cmath>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "calibration/accuracy.hpp"
#include "calibration/accuracy_csv.hpp"
#include "daemon/site/site.hpp"

namespace {

using roadspeed::accuracy::Metrics;

struct Options {
  std::string truth_path;
  std::string detected_path;
  std::string site_path;
  std::string label;
  double tolerance_s = 0.3;
  // How a one-loop row is dated against the truth (calibration/accuracy.hpp,
  // docs/accuracy.md "Scoring: one-loop rows"): "seen-loop" (needs --site)
  // or "first-loop", the rule before it.
  std::string one_loop_rule = "seen-loop";
  bool header = false;
  bool json = false;
};

// The columns of the result line: name, and how to print the value.
struct Column {
  const char* name;
  std::string (*value)(const Metrics&);
};

std::string fixed(std::optional<double> v, int decimals) {
  if (!v) return "-";
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, *v);
  return buf;
}

const std::vector<Column>& columns() {
  static const std::vector<Column> table{
      {"vehicles", [](const Metrics& m) { return std::to_string(m.truth_vehicles); }},
      {"detected", [](const Metrics& m) { return std::to_string(m.detections); }},
      {"recall_pct", [](const Metrics& m) { return fixed(m.recall_pct, 2); }},
      {"precision_pct", [](const Metrics& m) { return fixed(m.precision_pct, 2); }},
      {"recall_all_pct", [](const Metrics& m) { return fixed(m.recall_all_pct, 2); }},
      {"speed_share_pct", [](const Metrics& m) { return fixed(m.speed_share_pct, 2); }},
      {"p50_err_pct", [](const Metrics& m) { return fixed(m.p50_err_pct, 3); }},
      {"p95_err_pct", [](const Metrics& m) { return fixed(m.p95_err_pct, 3); }},
      {"floor_pct", [](const Metrics& m) { return fixed(m.floor_pct, 3); }},
      {"p95_floor_ratio", [](const Metrics& m) { return fixed(m.p95_floor_ratio, 3); }},
      {"len_bias_m", [](const Metrics& m) { return fixed(m.length_bias_m, 2); }},
      {"len_within_pct", [](const Metrics& m) { return fixed(m.length_within_pct, 2); }},
      {"class_agree_pct", [](const Metrics& m) { return fixed(m.class_agree_pct, 2); }},
      {"direction_agree_pct", [](const Metrics& m) { return fixed(m.direction_agree_pct, 2); }},
  };
  return table;
}

constexpr std::size_t label_width = 16;

std::string pad_left(const std::string& s, std::size_t width) {
  return s.size() >= width ? s : std::string(width - s.size(), ' ') + s;
}
std::string pad_right(const std::string& s, std::size_t width) {
  return s.size() >= width ? s : s + std::string(width - s.size(), ' ');
}

void print_header(std::ostream& out) {
  std::string line = pad_right("run", label_width);
  for (const Column& c : columns()) line += "  " + std::string(c.name);
  out << line << '\n';
}

void print_line(std::ostream& out, const std::string& label, const Metrics& m) {
  std::string line = pad_right(label, label_width);
  for (const Column& c : columns())
    line += "  " + pad_left(c.value(m), std::char_traits<char>::length(c.name));
  out << line << '\n';
}

std::string json_string(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    } else {
      out += c;
    }
  }
  return out + "\"";
}

std::string json_number(std::optional<double> v) {
  if (!v || !std::isfinite(*v)) return "null";
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.6g", *v);
  return buf;
}

void print_json(std::ostream& out, const std::string& label, const Metrics& m) {
  out << "{\"run\":" << json_string(label)                                  //
      << ",\"vehicles\":" << m.truth_vehicles                               //
      << ",\"vehicles_non_oncoming\":" << m.truth_non_oncoming              //
      << ",\"detected\":" << m.detections                                   //
      << ",\"matched\":" << m.matched                                       //
      << ",\"matched_non_oncoming\":" << m.matched_non_oncoming             //
      << ",\"detections_for_precision\":" << m.detections_for_precision     //
      << ",\"speed_errors\":" << m.speed_errors                             //
      << ",\"recall_pct\":" << json_number(m.recall_pct)                    //
      << ",\"precision_pct\":" << json_number(m.precision_pct)              //
      << ",\"recall_all_pct\":" << json_number(m.recall_all_pct)            //
      << ",\"speed_share_pct\":" << json_number(m.speed_share_pct)          //
      << ",\"p50_err_pct\":" << json_number(m.p50_err_pct)                  //
      << ",\"p95_err_pct\":" << json_number(m.p95_err_pct)                  //
      << ",\"floor_pct\":" << json_number(m.floor_pct)                      //
      << ",\"p95_floor_ratio\":" << json_number(m.p95_floor_ratio)          //
      << ",\"len_bias_m\":" << json_number(m.length_bias_m)                 //
      << ",\"len_within_pct\":" << json_number(m.length_within_pct)         //
      << ",\"class_agree_pct\":" << json_number(m.class_agree_pct)          //
      << ",\"direction_agree_pct\":" << json_number(m.direction_agree_pct) << "}\n";
}

template <typename Reader>
auto read_file(const std::string& path, Reader reader) {
  std::ifstream in(path);
  if (!in) throw roadspeed::InputError(path + ": cannot open");
  return reader(in, path);
}

// With a site, every detector and direction named in either file must exist
// in it: a typo must not score as a wall of misses.
template <typename Row>
void check_against_site(const roadspeed::Site& site, const std::vector<Row>& rows,
                        const std::string& path) {
  for (const Row& r : rows) {
    bool found = false;
    for (std::size_t d = 0; d < site.detector_count() && !found; ++d) {
      if (site.detector_id(d) != r.detector) continue;
      const bool trap = d < site.traps.size();
      const auto& fwd = trap ? site.traps[d].forward : site.radars[d - site.traps.size()].forward;
      const auto& rev = trap ? site.traps[d].reverse : site.radars[d - site.traps.size()].reverse;
      found = r.direction == fwd || (!rev.empty() && r.direction == rev);
    }
    if (!found)
      throw roadspeed::InputError(path + ": detector \"" + r.detector + "\" direction \"" +
                                  r.direction + "\" is not in site " + site.id);
  }
}

int run(const Options& o) {
  if (o.truth_path.empty() != o.detected_path.empty())
    throw std::runtime_error("--truth and --detected go together");
  if (o.truth_path.empty()) {
    if (!o.header) throw std::runtime_error("nothing to do: give --truth and --detected");
    print_header(std::cout);
    return 0;
  }
  if (!(o.tolerance_s > 0)) throw std::runtime_error("--tolerance-s must be positive");

  const auto truth = read_file(o.truth_path, roadspeed::accuracy::read_truth_csv);
  const auto detected = read_file(o.detected_path, roadspeed::accuracy::read_detected_csv);
  std::vector<roadspeed::accuracy::TrapLoops> traps;
  if (!o.site_path.empty()) {
    const roadspeed::Site site = roadspeed::load_site_file(o.site_path);
    check_against_site(site, truth, o.truth_path);
    check_against_site(site, detected, o.detected_path);
    if (o.one_loop_rule == "seen-loop")
      for (const roadspeed::Trap& t : site.traps) traps.push_back({t.id, t.forward, t.reverse, t.spacing_m});
  } else if (o.one_loop_rule == "seen-loop") {
    throw std::runtime_error("--one-loop-rule seen-loop needs --site (the traps' spacing)");
  }
  const auto tolerance_ns = static_cast<std::int64_t>(std::llround(o.tolerance_s * 1e9));
  const auto matches = roadspeed::accuracy::match(truth, detected, tolerance_ns, traps);
  const Metrics m = roadspeed::accuracy::score(truth, detected, matches);

  const std::string label =
      o.label.empty() ? std::filesystem::path(o.detected_path).filename().string() : o.label;
  if (o.json) {
    print_json(std::cout, label, m);
  } else {
    if (o.header) print_header(std::cout);
    print_line(std::cout, label, m);
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"roadspeed-accuracy: score detected vehicles against the simulator's truth"};
  Options o;
  app.add_option("--truth", o.truth_path, "truth CSV written by `roadspeed simulate --truth`");
  app.add_option("--detected", o.detected_path, "per-vehicle CSV written by `roadspeed analyze`");
  app.add_option("--site", o.site_path, "site file: check that detectors and directions exist");
  app.add_option("--label", o.label, "name of the run in the first column (default: detected file name)");
  app.add_option("--tolerance-s", o.tolerance_s, "largest time difference of a match, seconds")
      ->capture_default_str();
  app.add_option("--one-loop-rule", o.one_loop_rule,
                 "a row one loop saw is compared with when the vehicle reached that loop (seen-loop, needs "
                 "--site) or its first loop (first-loop)")
      ->check(CLI::IsMember({"seen-loop", "first-loop"}))
      ->capture_default_str();
  app.add_flag("--header", o.header, "print the column names first (alone: only them)");
  app.add_flag("--json", o.json, "print one JSON object instead of the line");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  try {
    return run(o);
  } catch (const std::exception& e) {
    std::cerr << "roadspeed-accuracy: " << e.what() << '\n';
    return 1;
  }
}
