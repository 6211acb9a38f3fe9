// The per-vehicle CSV of spec/interfaces.md §3.
#pragma once

#include <array>
#include <cstddef>
#include <memory>
#include <ostream>
#include <span>
#include <string>
#include <vector>

#include "daemon/detect/vehicle.hpp"
#include "daemon/site/site.hpp"

namespace roadspeed {

inline constexpr const char* vehicle_csv_header = "time_ns,detector,direction,speed_kmh,length_m,class,flags";

// The name of a vehicle's direction, as the site file spells it.
const std::string& direction_name(const Site& site, const Vehicle& v);

// One row, without the line end. Numbers with two decimals, rounded as %.2f.
void append_vehicle_row(std::string& out, const Site& site, const Vehicle& v);
std::string format_vehicle_row(const Site& site, const Vehicle& v);

// Formats rows into a large buffer of its own and hands that to the stream
// in large writes. The same rows as append_vehicle_row, cheaper: analyze
// writes millions, so the site's names are joined once ("lane1,eastbound,"
// per detector and direction) and copied with fixed-size moves, and nothing
// is allocated or zeroed per row.
class VehicleCsvWriter {
 public:
  VehicleCsvWriter(std::ostream& out, const Site& site);  // starts with the header
  ~VehicleCsvWriter();                                    // flushes
  VehicleCsvWriter(const VehicleCsvWriter&) = delete;
  VehicleCsvWriter& operator=(const VehicleCsvWriter&) = delete;

  void write(const Vehicle& v) { write(std::span(&v, 1)); }
  void write(std::span<const Vehicle> vehicles);
  void flush();  // check the stream's state after this

  // Text copied as one fixed-size block (a couple of vector moves, no call,
  // no pointer to follow) when it fits; the room reserved per row covers
  // the bytes beyond `size`.
  struct Field {
    static constexpr std::size_t block = 32;
    std::array<char, block> text{};  // when size <= block, zeros after
    std::string long_text;           // when longer
    std::size_t size = 0;
  };

 private:
  // Large writes, few system calls, still well inside a core's L2 cache.
  static constexpr std::size_t default_buffer_bytes = 256 * 1024;
  char* put_row(char* p, const Vehicle& v) const;

  std::ostream& out_;
  std::vector<Field> detector_fields_;  // "detector,direction," at detector * 2 + reverse
  std::array<Field, 6> class_fields_;   // "class," by VehicleClass
  std::size_t max_row_bytes_;
  std::size_t buffer_size_;
  std::unique_ptr<char[]> buffer_;
  char* end_;  // of the rows not yet handed to the stream
};

}  // namespace roadspeed
