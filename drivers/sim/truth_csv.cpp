// The truth CSV (docs/simulator.md): one row per simulated vehicle.
#include <cstdio>
#include <ostream>
#include <string>

#include "drivers/sim/simulator.hpp"

namespace roadspeed {
namespace {

void append_error(std::string& row, const std::optional<double>& pct) {
  row += ',';
  if (!pct) return;
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4f", *pct);
  row += buf;
}

}  // namespace

void write_truth_header(std::ostream& out) {
  out << "time_ns,detector,direction,speed_kmh,length_m,class,accel_mps2,wrong_way,met_oncoming,"
         "missed_first,missed_second,tailgating,lead_err_pct,both_err_pct\n";
}

void write_truth_row(std::ostream& out, const Site& site, const TruthVehicle& v) {
  const bool trap = v.detector < site.traps.size();
  const std::string& forward = trap ? site.traps[v.detector].forward : site.radars.at(v.detector - site.traps.size()).forward;
  const std::string& reverse = trap ? site.traps[v.detector].reverse : site.radars.at(v.detector - site.traps.size()).reverse;
  const std::string& direction = v.direction == Direction::reverse ? reverse : forward;
  char numbers[96];
  std::snprintf(numbers, sizeof numbers, "%.3f,%.2f", v.speed_kmh, v.length_m);
  char accel[32];
  std::snprintf(accel, sizeof accel, "%.3f", v.accel_mps2 == 0.0 ? 0.0 : v.accel_mps2);
  std::string row = std::to_string(v.t_ns);
  row += ',';
  row += site.detector_id(v.detector);
  row += ',';
  row += direction;
  row += ',';
  row += numbers;
  row += ',';
  row += to_string(v.vehicle_class);
  row += ',';
  row += accel;
  for (bool b : {v.wrong_way, v.met_oncoming, v.missed_first, v.missed_second, v.tailgating}) {
    row += ',';
    row += b ? '1' : '0';
  }
  append_error(row, v.lead_err_pct);
  append_error(row, v.both_err_pct);
  row += '\n';
  out.write(row.data(), static_cast<std::streamsize>(row.size()));
}

}  // namespace roadspeed
