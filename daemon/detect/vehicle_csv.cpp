#include "daemon/detect/vehicle_csv.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace roadspeed {
namespace {

// Rows are written through a raw cursor into space reserved up front:
// string appends, one capacity check per character, cost more than
// detecting the vehicle.
struct Cursor {
  char* p;
  void put(char c) { *p++ = c; }
  void put(std::string_view v) {
    std::memcpy(p, v.data(), v.size());
    p += v.size();
  }
};

void put_fixed2_slow(Cursor& c, double x) {
  auto [end, ec] = std::to_chars(c.p, c.p + 32, x, std::chars_format::fixed, 2);
  if (ec == std::errc{}) c.p = end;
}

// Two decimals exactly as %.2f (and to_chars) give them, without their
// general-purpose cost: scale to hundredths and round; only values whose
// hundredths sit within a hair of one half, where the scaling's own rounding
// could decide, take the exact slow path.
void put_fixed2(Cursor& c, double x) {
  const double scaled = std::fabs(x) * 100.0;
  if (!(scaled < 1e15)) return put_fixed2_slow(c, x);
  const double whole = std::floor(scaled);
  const double frac = scaled - whole;
  if (std::fabs(frac - 0.5) < 1e-6) return put_fixed2_slow(c, x);
  const auto hundredths = static_cast<std::uint64_t>(whole) + (frac > 0.5 ? 1 : 0);
  if (x < 0 && hundredths != 0) c.put('-');
  c.p = std::to_chars(c.p, c.p + 24, hundredths / 100).ptr;
  const auto cents = static_cast<unsigned>(hundredths % 100);
  c.put('.');
  c.put(static_cast<char>('0' + cents / 10));
  c.put(static_cast<char>('0' + cents % 10));
}

// Two digits at a time from a table: the row's time has 19 digits (every
// epoch nanosecond from 2001 to 2286), and to_chars first counts them one
// by one.
constexpr auto digit_pairs = [] {
  std::array<char, 200> t{};
  for (int i = 0; i < 100; ++i) {
    t[2 * i] = static_cast<char>('0' + i / 10);
    t[2 * i + 1] = static_cast<char>('0' + i % 10);
  }
  return t;
}();

// Exactly eight digits, leading zeros kept.
void put_eight_digits(Cursor& c, std::uint32_t v) {
  for (int i = 3; i >= 0; --i) {
    std::memcpy(c.p + 2 * i, &digit_pairs[2 * (v % 100)], 2);
    v /= 100;
  }
  c.p += 8;
}

void put_time(Cursor& c, std::int64_t t) {
  constexpr std::int64_t nineteen_digits = 1'000'000'000'000'000'000;
  if (t < nineteen_digits) {
    c.p = std::to_chars(c.p, c.p + 20, t).ptr;
    return;
  }
  const auto u = static_cast<std::uint64_t>(t);
  const auto high = static_cast<std::uint32_t>(u / 10'000'000'000'000'000);  // 100..922
  const std::uint64_t rest = u % 10'000'000'000'000'000;
  c.put(static_cast<char>('0' + high / 100));
  std::memcpy(c.p, &digit_pairs[2 * (high % 100)], 2);
  c.p += 2;
  put_eight_digits(c, static_cast<std::uint32_t>(rest / 100'000'000));
  put_eight_digits(c, static_cast<std::uint32_t>(rest % 100'000'000));
}

// Longest row text besides the names: time, two numbers, class, all flags.
constexpr std::size_t max_row_bytes_without_names = 20 + 2 * 32 + 16 + flag_count * 16 + 8;

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
  Cursor c{s.data() + size};
  put_time(c, v.t_ns);
  c.put(',');
  c.put(detector);
  c.put(',');
  c.put(direction);
  c.put(',');
  if (v.speed_kmh) put_fixed2(c, *v.speed_kmh);
  c.put(',');
  if (v.length_m) put_fixed2(c, *v.length_m);
  c.put(',');
  c.put(to_string(v.vehicle_class));
  c.put(',');
  bool first = true;
  for (int f = 0; f < flag_count && !v.flags.empty(); ++f) {
    if (!v.flags.has(static_cast<Flag>(f))) continue;
    if (!first) c.put(';');
    c.put(to_string(static_cast<Flag>(f)));
    first = false;
  }
  s.resize(static_cast<std::size_t>(c.p - s.data()));
}

std::string format_vehicle_row(const Site& site, const Vehicle& v) {
  std::string s;
  append_vehicle_row(s, site, v);
  return s;
}

VehicleCsvWriter::VehicleCsvWriter(std::ostream& out, const Site& site) : out_(out), site_(site) {
  buffer_.reserve(flush_bytes + 256);
  buffer_ += vehicle_csv_header;
  buffer_ += '\n';
}

VehicleCsvWriter::~VehicleCsvWriter() { flush(); }

void VehicleCsvWriter::write(const Vehicle& v) {
  append_vehicle_row(buffer_, site_, v);
  buffer_ += '\n';
  if (buffer_.size() >= flush_bytes) flush();
}

void VehicleCsvWriter::flush() {
  out_.write(buffer_.data(), static_cast<std::streamsize>(buffer_.size()));
  buffer_.clear();
}

}  // namespace roadspeed
