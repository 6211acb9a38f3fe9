// Test helpers: detected rows as text to compare exactly, and the golden
// traces with their site files.
#pragma once

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "daemon/detect/vehicle.hpp"
#include "daemon/site/site.hpp"
#include "drivers/edge.hpp"
#include "drivers/trace/trace_reader.hpp"

namespace roadspeed::test {

// Every field of every row, in the order detection gave them.
inline std::string rows(const std::vector<Vehicle>& vehicles) {
  std::ostringstream s;
  s.precision(17);
  for (const Vehicle& v : vehicles)
    s << v.t_ns << ' ' << v.last_edge_ns << ' ' << v.detector << ' ' << int(v.direction) << ' '
      << v.speed_kmh.value_or(-1) << ' ' << v.length_m.value_or(-1) << ' ' << int(v.vehicle_class) << ' '
      << v.flags.bits() << '\n';
  return s.str();
}

// Empty when equal; else where the rows first differ.
inline std::string difference(const std::string& expected, const std::string& got) {
  std::istringstream a(expected), b(got);
  std::string x, y;
  for (int row = 1;; ++row) {
    const bool more_a = static_cast<bool>(std::getline(a, x));
    const bool more_b = static_cast<bool>(std::getline(b, y));
    if (!more_a && !more_b) return {};
    if (more_a != more_b || x != y)
      return "row " + std::to_string(row) + ": expected '" + (more_a ? x : "(none)") + "', got '" +
             (more_b ? y : "(none)") + "'";
  }
}

// A trace's edges, read whole.
inline std::vector<Edge> read_trace(const std::filesystem::path& trace, const Site& site) {
  std::ifstream in(trace);
  const auto reader = make_trace_reader(in, trace.string(), site);
  std::vector<Edge> edges;
  while (const auto e = reader->next()) edges.push_back(*e);
  return edges;
}

// The site file a golden trace names in its "# site-file:" header line.
inline std::filesystem::path site_of(const std::filesystem::path& trace) {
  std::ifstream in(trace);
  const std::string key = "# site-file:";
  for (std::string line; std::getline(in, line) && line.starts_with("#");)
    if (line.starts_with(key)) {
      const std::size_t at = line.find_first_not_of(' ', key.size());
      return std::filesystem::path(ROADSPEED_TEST_DATA) / line.substr(at);
    }
  return {};
}

}  // namespace roadspeed::test
