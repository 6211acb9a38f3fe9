// The per-vehicle CSV of spec/interfaces.md §3.
#pragma once

#include <ostream>
#include <string>

#include "daemon/detect/vehicle.hpp"
#include "daemon/site/site.hpp"

namespace roadspeed {

inline constexpr const char* vehicle_csv_header = "time_ns,detector,direction,speed_kmh,length_m,class,flags";

// The name of a vehicle's direction, as the site file spells it.
const std::string& direction_name(const Site& site, const Vehicle& v);

// One row, without the line end. Numbers with two decimals, rounded as %.2f.
std::string format_vehicle_row(const Site& site, const Vehicle& v);

class VehicleCsvWriter {
 public:
  VehicleCsvWriter(std::ostream& out, const Site& site);  // writes the header
  void write(const Vehicle& v);

 private:
  std::ostream& out_;
  const Site& site_;
};

}  // namespace roadspeed
