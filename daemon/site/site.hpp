// The site model: what is on the road (spec/interfaces.md §2). A plain value,
// built once by load_site_file() and passed to whoever needs it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "drivers/edge.hpp"

namespace roadspeed {

enum class Bias : std::uint8_t { as_is, pull_up, pull_down, disabled };
enum class DetectorKind : std::uint8_t { road, bike_path };

struct Input {
  std::string name;
  std::string chip;  // e.g. "gpiochip0"
  unsigned line = 0;
  bool active_low = false;
  Bias bias = Bias::as_is;
};

struct Trap {
  std::string id;
  InputId first = 0;   // reached first by traffic going `forward`
  InputId second = 0;
  double spacing_m = 0;      // leading edge of first loop to leading edge of second
  double loop_length_m = 0;  // along the road, same for both loops
  std::string forward;
  std::string reverse;       // empty: one-way road
  DetectorKind kind = DetectorKind::road;

  bool one_way() const { return reverse.empty(); }
};

struct Radar {
  std::string id;
  InputId input = 0;
  std::optional<InputId> input_q;
  double carrier_ghz = 24.125;
  double angle_deg = 0;
  std::string forward;
  std::string reverse;  // empty: only `forward`
  std::optional<double> forward_offset_m;
  std::optional<double> reverse_offset_m;
  DetectorKind kind = DetectorKind::road;
};

// Upper bounds of the length classes, metres.
struct LengthClasses {
  double two_wheeler_max_m = 2.5;
  double car_max_m = 5.6;
  double van_max_m = 7.5;
  double truck_max_m = 12.5;  // longer: articulated
};

struct Threshold {
  std::string name;
  double scale = 1.0;
  double offset_kmh = 0.0;
};

struct Site {
  std::string id;
  std::string name;
  std::string timezone;
  double speed_limit_kmh = 0;
  double bike_path_limit_kmh = 30;
  std::vector<Input> inputs;
  std::vector<Trap> traps;
  std::vector<Radar> radars;
  LengthClasses classes;
  std::vector<Threshold> thresholds;

  std::optional<InputId> find_input(std::string_view name) const;
  // The input wired to `line` of `chip`, for mapping gpiomon logs.
  std::optional<InputId> find_input(std::string_view chip, unsigned line) const;

  // Detectors are numbered traps first, then radars (Vehicle::detector).
  std::size_t detector_count() const { return traps.size() + radars.size(); }
  // The trap or radar id of detector `index`; throws std::out_of_range past the end.
  const std::string& detector_id(std::size_t index) const;
  // The inputs wired to detector `index`, by channel: a trap's first and
  // second loop; a radar's I channel, then its Q channel if it has one.
  std::vector<InputId> detector_inputs(std::size_t index) const;
};

// A configuration or input-file error; what() is one line, "FILE:LINE: message".
class InputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Throws InputError naming the file, the line and what is wrong.
Site load_site_file(const std::filesystem::path& path);
// The same, from text already in memory; `source_name` stands for the file in errors.
Site parse_site(std::string_view toml_text, const std::string& source_name);

}  // namespace roadspeed
