#include "daemon/stats/summary.hpp"

#include <algorithm>
#include <cstdio>
#include <ostream>
#include <stdexcept>
#include <string>
#include <string_view>

namespace roadspeed {
namespace {

struct Group {
  SummaryRow row;
  std::vector<double> speeds_kmh;
};

const std::string& direction_name(const Site& site, std::uint16_t detector, Direction d) {
  const bool is_trap = detector < site.traps.size();
  const auto& fwd = is_trap ? site.traps[detector].forward
                            : site.radars.at(detector - site.traps.size()).forward;
  const auto& rev = is_trap ? site.traps[detector].reverse
                            : site.radars.at(detector - site.traps.size()).reverse;
  return d == Direction::forward ? fwd : rev;
}

double limit_for(const Site& site, std::uint16_t detector) {
  const DetectorKind kind = detector < site.traps.size()
                                ? site.traps[detector].kind
                                : site.radars.at(detector - site.traps.size()).kind;
  return kind == DetectorKind::bike_path ? site.bike_path_limit_kmh : site.speed_limit_kmh;
}

void finish(Group& g) {
  SummaryRow& r = g.row;
  r.vehicles_with_speed = g.speeds_kmh.size();
  if (g.speeds_kmh.empty()) return;
  double sum = 0;
  std::size_t over = 0;
  for (double s : g.speeds_kmh) {
    sum += s;
    if (s > r.limit_kmh) ++over;
  }
  const auto n = static_cast<double>(g.speeds_kmh.size());
  r.mean_speed_kmh = sum / n;
  r.max_speed_kmh = *std::max_element(g.speeds_kmh.begin(), g.speeds_kmh.end());
  r.v85_kmh = nearest_rank_percentile(g.speeds_kmh, 85.0);
  if (r.limit_kmh > 0) r.over_limit_share = static_cast<double>(over) / n;
}

// ---- table layout ---------------------------------------------------------

// Display width of UTF-8 text: code points, not bytes (direction names such
// as "söderut" must not push the columns out of line).
std::size_t display_width(std::string_view s) {
  return static_cast<std::size_t>(std::count_if(
      s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

std::string fixed1(std::optional<double> v, double scale = 1.0) {
  if (!v) return "-";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", *v * scale);
  return buf;
}

struct Column {
  std::string head;
  bool left_aligned = false;
};

}  // namespace

std::vector<SummaryRow> summarize(const Site& site, const std::vector<Vehicle>& vehicles) {
  // groups[2 * detector + direction]
  std::vector<Group> groups(2 * site.detector_count());
  for (std::size_t d = 0; d < site.detector_count(); ++d)
    for (Direction dir : {Direction::forward, Direction::reverse}) {
      Group& g = groups[2 * d + static_cast<std::size_t>(dir)];
      g.row.detector = static_cast<std::uint16_t>(d);
      g.row.direction = dir;
      g.row.limit_kmh = limit_for(site, g.row.detector);
    }

  for (const Vehicle& v : vehicles) {
    if (v.detector >= site.detector_count())
      throw std::out_of_range("vehicle on detector " + std::to_string(v.detector) +
                              ", but the site has " + std::to_string(site.detector_count()));
    Group& g = groups[2 * std::size_t{v.detector} + static_cast<std::size_t>(v.direction)];
    ++g.row.vehicles;
    ++g.row.class_counts.at(static_cast<std::size_t>(v.vehicle_class));
    if (v.speed_kmh) g.speeds_kmh.push_back(*v.speed_kmh);
  }

  std::vector<SummaryRow> rows;
  for (Group& g : groups) {
    // A reverse direction the site does not define appears only if vehicles
    // were reported in it.
    const bool defined = !direction_name(site, g.row.detector, g.row.direction).empty();
    if (!defined && g.row.vehicles == 0) continue;
    finish(g);
    rows.push_back(g.row);
  }
  return rows;
}

void print_summary(std::ostream& out, const Site& site, const std::vector<SummaryRow>& rows) {
  std::vector<Column> columns{{"detector", true},  {"direction", true},   {"vehicles"},
                              {"with speed"},      {"mean km/h"},         {"V85 km/h"},
                              {"max km/h"},        {"limit km/h"},        {"over limit %"}};
  for (std::size_t c = 0; c < vehicle_class_count; ++c)
    columns.push_back({std::string(to_string(static_cast<VehicleClass>(c)))});

  std::vector<std::vector<std::string>> cells;
  for (const SummaryRow& r : rows) {
    const std::string& dir = direction_name(site, r.detector, r.direction);
    std::vector<std::string> line{
        site.detector_id(r.detector),
        dir.empty() ? std::string(r.direction == Direction::forward ? "forward" : "reverse") : dir,
        std::to_string(r.vehicles),
        std::to_string(r.vehicles_with_speed),
        fixed1(r.mean_speed_kmh),
        fixed1(r.v85_kmh),
        fixed1(r.max_speed_kmh),
        fixed1(r.limit_kmh),
        fixed1(r.over_limit_share, 100.0)};
    for (std::size_t count : r.class_counts) line.push_back(std::to_string(count));
    cells.push_back(std::move(line));
  }

  std::vector<std::size_t> widths;
  for (const Column& col : columns) widths.push_back(display_width(col.head));
  for (const auto& line : cells)
    for (std::size_t c = 0; c < line.size(); ++c)
      widths[c] = std::max(widths[c], display_width(line[c]));

  const auto emit = [&](const std::vector<std::string>& line) {
    std::string text;
    for (std::size_t c = 0; c < line.size(); ++c) {
      const std::string pad(widths[c] - display_width(line[c]), ' ');
      if (c > 0) text += "  ";
      text += columns[c].left_aligned ? line[c] + pad : pad + line[c];
    }
    while (!text.empty() && text.back() == ' ') text.pop_back();
    out << text << '\n';
  };

  out << "site " << site.id;
  if (!site.name.empty()) out << " (" << site.name << ")";
  out << ", speed limit " << fixed1(site.speed_limit_kmh) << " km/h\n";
  std::vector<std::string> heads;
  for (const Column& col : columns) heads.push_back(col.head);
  emit(heads);
  for (const auto& line : cells) emit(line);
  out << "V85: nearest rank over per-vehicle speeds; over limit: share of vehicles with a speed\n";
}

}  // namespace roadspeed
