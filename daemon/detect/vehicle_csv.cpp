#include "daemon/detect/vehicle_csv.hpp"

#include <charconv>

namespace roadspeed {
namespace {

void append_fixed2(std::string& s, double x) {
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, x, std::chars_format::fixed, 2);
  if (ec == std::errc{}) s.append(buf, end);
}

}  // namespace

const std::string& direction_name(const Site& site, const Vehicle& v) {
  const bool reverse = v.direction == Direction::reverse;
  if (v.detector < site.traps.size()) {
    const Trap& t = site.traps[v.detector];
    return reverse ? t.reverse : t.forward;
  }
  const Radar& r = site.radars.at(v.detector - site.traps.size());
  return reverse ? r.reverse : r.forward;
}

std::string format_vehicle_row(const Site& site, const Vehicle& v) {
  std::string s = std::to_string(v.t_ns);
  s += ',';
  s += site.detector_id(v.detector);
  s += ',';
  s += direction_name(site, v);
  s += ',';
  if (v.speed_kmh) append_fixed2(s, *v.speed_kmh);
  s += ',';
  if (v.length_m) append_fixed2(s, *v.length_m);
  s += ',';
  s += to_string(v.vehicle_class);
  s += ',';
  bool first = true;
  for (int f = 0; f < flag_count; ++f) {
    if (!v.flags.has(static_cast<Flag>(f))) continue;
    if (!first) s += ';';
    s += to_string(static_cast<Flag>(f));
    first = false;
  }
  return s;
}

VehicleCsvWriter::VehicleCsvWriter(std::ostream& out, const Site& site) : out_(out), site_(site) {
  out_ << vehicle_csv_header << '\n';
}

void VehicleCsvWriter::write(const Vehicle& v) { out_ << format_vehicle_row(site_, v) << '\n'; }

}  // namespace roadspeed
