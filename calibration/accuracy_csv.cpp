#include "calibration/accuracy_csv.hpp"

#include <charconv>
#include <istream>
#include <optional>
#include <string_view>
#include <system_error>
#include <utility>

#include "daemon/site/site.hpp"

namespace roadspeed::accuracy {
namespace {

std::vector<std::string_view> split(std::string_view line) {
  std::vector<std::string_view> fields;
  for (;;) {
    const auto comma = line.find(',');
    fields.push_back(line.substr(0, comma));
    if (comma == std::string_view::npos) return fields;
    line.remove_prefix(comma + 1);
  }
}

// Reads a CSV line by line, resolving the header's column names once.
class CsvReader {
 public:
  CsvReader(std::istream& in, std::string source_name)
      : in_(in), source_(std::move(source_name)) {}

  [[noreturn]] void fail(const std::string& message) const {
    throw InputError(source_ + ":" + std::to_string(line_number_) + ": " + message);
  }

  // Reads the header and finds `names` in it; column(i) then is names[i].
  void read_header(const std::vector<std::string_view>& names) {
    if (!next()) fail("empty file: no header line");
    const auto heads = split(line_);
    for (std::string_view name : names) {
      std::size_t i = 0;
      while (i < heads.size() && heads[i] != name) ++i;
      if (i == heads.size()) fail("header has no column \"" + std::string(name) + "\"");
      index_.push_back(i);
    }
    width_ = heads.size();
  }

  bool next() {
    while (std::getline(in_, line_)) {
      ++line_number_;
      if (!line_.empty() && line_.back() == '\r') line_.pop_back();
      if (line_.empty() || line_.front() == '#') continue;
      fields_ = split(line_);
      if (width_ != 0 && fields_.size() != width_)
        fail("expected " + std::to_string(width_) + " fields, found " +
             std::to_string(fields_.size()));
      return true;
    }
    if (in_.bad()) fail("read error");
    return false;
  }

  std::string_view field(std::size_t column) const { return fields_.at(index_.at(column)); }
  std::string text(std::size_t column) const { return std::string(field(column)); }

  template <typename Number>
  Number number(std::size_t column, std::string_view what) const {
    const std::string_view f = field(column);
    Number value{};
    const auto [end, ec] = std::from_chars(f.data(), f.data() + f.size(), value);
    if (ec != std::errc{} || end != f.data() + f.size() || f.empty())
      fail(std::string(what) + ": not a number: \"" + std::string(f) + "\"");
    return value;
  }

  std::optional<double> optional_number(std::size_t column, std::string_view what) const {
    if (field(column).empty()) return std::nullopt;
    return number<double>(column, what);
  }

  bool boolean(std::size_t column, std::string_view what) const {
    const std::string_view f = field(column);
    if (f == "1" || f == "true") return true;
    if (f == "0" || f == "false" || f.empty()) return false;
    fail(std::string(what) + ": not 0 or 1: \"" + std::string(f) + "\"");
  }

 private:
  std::istream& in_;
  std::string source_;
  std::size_t line_number_ = 0;
  std::string line_;
  std::vector<std::string_view> fields_;
  std::vector<std::size_t> index_;
  std::size_t width_ = 0;
};

}  // namespace

std::vector<TruthRow> read_truth_csv(std::istream& in, const std::string& source_name) {
  enum : std::size_t { time, detector, direction, speed, length, cls, accel, wrong_way,
                       met_oncoming, missed_first, missed_second, tailgating, lead_err, both_err };
  CsvReader csv(in, source_name);
  csv.read_header({"time_ns", "detector", "direction", "speed_kmh", "length_m", "class",
                   "accel_mps2", "wrong_way", "met_oncoming", "missed_first", "missed_second",
                   "tailgating", "lead_err_pct", "both_err_pct"});
  std::vector<TruthRow> rows;
  while (csv.next()) {
    TruthRow r;
    r.t_ns = csv.number<std::int64_t>(time, "time_ns");
    r.detector = csv.text(detector);
    r.direction = csv.text(direction);
    r.speed_kmh = csv.number<double>(speed, "speed_kmh");
    r.length_m = csv.number<double>(length, "length_m");
    r.vehicle_class = csv.text(cls);
    r.accel_mps2 = csv.number<double>(accel, "accel_mps2");
    r.wrong_way = csv.boolean(wrong_way, "wrong_way");
    r.met_oncoming = csv.boolean(met_oncoming, "met_oncoming");
    r.missed_first = csv.boolean(missed_first, "missed_first");
    r.missed_second = csv.boolean(missed_second, "missed_second");
    r.tailgating = csv.boolean(tailgating, "tailgating");
    r.lead_err_pct = csv.optional_number(lead_err, "lead_err_pct");
    r.both_err_pct = csv.optional_number(both_err, "both_err_pct");
    if (r.detector.empty()) csv.fail("empty detector");
    rows.push_back(std::move(r));
  }
  return rows;
}

std::vector<DetectedRow> read_detected_csv(std::istream& in, const std::string& source_name) {
  enum : std::size_t { time, detector, direction, speed, length, cls, flags };
  CsvReader csv(in, source_name);
  csv.read_header({"time_ns", "detector", "direction", "speed_kmh", "length_m", "class", "flags"});
  std::vector<DetectedRow> rows;
  while (csv.next()) {
    DetectedRow r;
    r.t_ns = csv.number<std::int64_t>(time, "time_ns");
    r.detector = csv.text(detector);
    r.direction = csv.text(direction);
    r.speed_kmh = csv.optional_number(speed, "speed_kmh");
    r.length_m = csv.optional_number(length, "length_m");
    r.vehicle_class = csv.text(cls);
    r.flags = csv.text(flags);
    if (r.detector.empty()) csv.fail("empty detector");
    rows.push_back(std::move(r));
  }
  return rows;
}

}  // namespace roadspeed::accuracy
