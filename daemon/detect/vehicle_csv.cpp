#include "daemon/detect/vehicle_csv.hpp"

#include <algorithm>
#include <bit>
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string_view>

#include "daemon/detect/csv_numbers.hpp"

namespace roadspeed {
namespace {

constexpr std::size_t class_count = static_cast<std::size_t>(VehicleClass::unclassified) + 1;

char* put(char* p, std::string_view v) {
  std::memcpy(p, v.data(), v.size());
  return p + v.size();
}

// Longest row text besides the detector and direction names: time, two
// numbers, class, all flags, the separators, and the overshoot of a
// fixed-size field copy.
constexpr std::size_t max_row_bytes_without_names =
    csv::max_time_bytes + 2 * csv::max_fixed2_bytes + 16 + flag_count * 16 + 8 +
    VehicleCsvWriter::Field::block;

// speed,length, : the columns after the direction.
char* put_numbers(char* p, const Vehicle& v) {
  if (v.speed_kmh) p = csv::put_fixed2(p, *v.speed_kmh);
  *p++ = ',';
  if (v.length_m) p = csv::put_fixed2(p, *v.length_m);
  *p++ = ',';
  return p;
}

// The flags column, set flags in Flag order, ';' between them.
char* put_flags(char* p, Flags flags) {
  for (unsigned bits = flags.bits(); bits != 0; bits &= bits - 1) {
    p = put(p, to_string(static_cast<Flag>(std::countr_zero(bits))));
    if ((bits & (bits - 1)) != 0) *p++ = ';';
  }
  return p;
}

VehicleCsvWriter::Field make_field(const std::string& text) {
  VehicleCsvWriter::Field f;
  f.size = text.size();
  if (f.size <= f.block) {
    text.copy(f.text.data(), f.size);
  } else {
    f.long_text = text;
  }
  return f;
}

char* put(char* p, const VehicleCsvWriter::Field& f) {
  if (f.size <= f.block) {
    std::memcpy(p, f.text.data(), f.block);
  } else {
    std::memcpy(p, f.long_text.data(), f.size);
  }
  return p + f.size;
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

void append_vehicle_row(std::string& s, const Site& site, const Vehicle& v) {
  const std::string& detector = site.detector_id(v.detector);
  const std::string& direction = direction_name(site, v);
  const std::size_t size = s.size();
  s.resize(size + max_row_bytes_without_names + detector.size() + direction.size());
  char* p = csv::put_time_ns(s.data() + size, v.t_ns);
  *p++ = ',';
  p = put(p, detector);
  *p++ = ',';
  p = put(p, direction);
  *p++ = ',';
  p = put_numbers(p, v);
  p = put(p, to_string(v.vehicle_class));
  *p++ = ',';
  p = put_flags(p, v.flags);
  s.resize(static_cast<std::size_t>(p - s.data()));
}

std::string format_vehicle_row(const Site& site, const Vehicle& v) {
  std::string s;
  append_vehicle_row(s, site, v);
  return s;
}

VehicleCsvWriter::VehicleCsvWriter(std::ostream& out, const Site& site) : out_(out) {
  std::size_t longest = 0;
  for (std::size_t d = 0; d < site.detector_count(); ++d) {
    for (const Direction dir : {Direction::forward, Direction::reverse}) {
      Vehicle v;
      v.detector = static_cast<std::uint16_t>(d);
      v.direction = dir;
      detector_fields_.push_back(make_field(site.detector_id(d) + ',' + direction_name(site, v) + ','));
      longest = std::max(longest, detector_fields_.back().size);
    }
  }
  for (std::size_t c = 0; c < class_count; ++c) {
    class_fields_[c] = make_field(std::string(to_string(static_cast<VehicleClass>(c))) + ',');
  }
  max_row_bytes_ = max_row_bytes_without_names + longest + 1;  // and the line end
  // Room for many rows however long the site's names are.
  buffer_size_ = std::max(default_buffer_bytes, 16 * max_row_bytes_);
  buffer_ = std::make_unique_for_overwrite<char[]>(buffer_size_);
  end_ = put(buffer_.get(), vehicle_csv_header);
  *end_++ = '\n';
}

VehicleCsvWriter::~VehicleCsvWriter() { flush(); }

inline char* VehicleCsvWriter::put_row(char* p, const Vehicle& v) const {
  p = csv::put_time_ns(p, v.t_ns);
  *p++ = ',';
  const std::size_t d = std::size_t{v.detector} * 2 + (v.direction == Direction::reverse ? 1 : 0);
  if (d >= detector_fields_.size()) throw std::out_of_range("vehicle of an unknown detector");
  p = put(p, detector_fields_[d]);
  p = put_numbers(p, v);
  p = put(p, class_fields_.at(static_cast<std::size_t>(v.vehicle_class)));
  if (!v.flags.empty()) p = put_flags(p, v.flags);
  *p++ = '\n';
  return p;
}

void VehicleCsvWriter::write(std::span<const Vehicle> vehicles) {
  char* p = end_;  // a local: a member would be stored and reloaded per row
  const char* const last_row_start = buffer_.get() + buffer_size_ - max_row_bytes_;
  for (const Vehicle& v : vehicles) {
    if (p > last_row_start) {
      end_ = p;
      flush();
      p = end_;
    }
    p = put_row(p, v);
  }
  end_ = p;
}

void VehicleCsvWriter::flush() {
  out_.write(buffer_.get(), end_ - buffer_.get());
  end_ = buffer_.get();
}

}  // namespace roadspeed
