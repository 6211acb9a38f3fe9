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
void append_vehicle_row(std::string& out, const Site& site, const Vehicle& v);
std::string format_vehicle_row(const Site& site, const Vehicle& v);

// Buffers rows and hands them to the stream in large writes: per-row stream
// calls would cost more than detecting the vehicle.
class VehicleCsvWriter {
 public:
  VehicleCsvWriter(std::ostream& out, const Site& site);  // starts with the header
  ~VehicleCsvWriter();                                    // flushes
  VehicleCsvWriter(const VehicleCsvWriter&) = delete;
  VehicleCsvWriter& operator=(const VehicleCsvWriter&) = delete;

  void write(const Vehicle& v);
  void flush();  // check the stream's state after this

 private:
  static constexpr std::size_t flush_bytes = 64 * 1024;
  std::ostream& out_;
  const Site& site_;
  std::string buffer_;
};

}  // namespace roadspeed
