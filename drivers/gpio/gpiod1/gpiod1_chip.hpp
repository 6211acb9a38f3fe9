// One GPIO chip opened through libgpiod 1.6, its site lines requested for
// both edges. RAII: the destructor releases the lines and closes the chip.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "daemon/site/site.hpp"

struct gpiod_chip;
struct gpiod_line;

namespace roadspeed {

// A site input as the back-end needs it.
struct LineSpec {
  InputId input = 0;
  std::string input_name;
  unsigned line = 0;
  bool active_low = false;
  Bias bias = Bias::as_is;
};

class Gpiod1Chip {
 public:
  struct RequestedLine {
    InputId input = 0;
    gpiod_line* line = nullptr;  // owned by the chip
    int event_fd = -1;           // owned by libgpiod: closed with the chip
  };

  // Opens /dev/<chip> and requests every line of `lines`. Throws GpioError
  // naming the input, the chip, the line and the reason; then nothing is held.
  Gpiod1Chip(const std::string& chip, const std::vector<LineSpec>& lines, const std::string& consumer);
  ~Gpiod1Chip();
  Gpiod1Chip(const Gpiod1Chip&) = delete;
  Gpiod1Chip& operator=(const Gpiod1Chip&) = delete;

  const std::vector<RequestedLine>& lines() const { return lines_; }
  // The chip's label (e.g. "pinctrl-bcm2711", "gpio-sim.0-node0"): stable
  // where the number in "gpiochipN" is not.
  std::string label() const;
  // The line's logical level now; -1 on error (the chip going away).
  int level(const RequestedLine& line) const;

 private:
  struct ChipCloser {
    void operator()(gpiod_chip* chip) const;
  };
  void request(const LineSpec& spec, const std::string& consumer);

  std::string path_;
  std::unique_ptr<gpiod_chip, ChipCloser> chip_;
  std::vector<RequestedLine> lines_;
};

// The device node name ("gpiochipN") of the chip labelled `label`, if one is
// in /dev now: a chip that was removed and added again may get a new number.
std::optional<std::string> find_chip_by_label(const std::string& label);

}  // namespace roadspeed
