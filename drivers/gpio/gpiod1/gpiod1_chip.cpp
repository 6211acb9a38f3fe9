#include "drivers/gpio/gpiod1/gpiod1_chip.hpp"

#include <fcntl.h>
#include <gpiod.h>

#include <cerrno>
#include <filesystem>
#include <system_error>

#include "drivers/gpio/gpio_driver.hpp"

namespace roadspeed {
namespace {

std::string os_reason(int error) { return std::system_category().message(error); }

int request_flags(const LineSpec& spec) {
  int flags = spec.active_low ? GPIOD_LINE_REQUEST_FLAG_ACTIVE_LOW : 0;
  switch (spec.bias) {
    case Bias::as_is: break;
    case Bias::pull_up: flags |= GPIOD_LINE_REQUEST_FLAG_BIAS_PULL_UP; break;
    case Bias::pull_down: flags |= GPIOD_LINE_REQUEST_FLAG_BIAS_PULL_DOWN; break;
    case Bias::disabled: flags |= GPIOD_LINE_REQUEST_FLAG_BIAS_DISABLE; break;
  }
  return flags;
}

}  // namespace

void Gpiod1Chip::ChipCloser::operator()(gpiod_chip* chip) const {
  gpiod_chip_close(chip);  // also releases every line requested through it
}

Gpiod1Chip::Gpiod1Chip(const std::string& chip, const std::vector<LineSpec>& lines, const std::string& consumer)
    : path_("/dev/" + chip) {
  chip_.reset(gpiod_chip_open(path_.c_str()));
  if (!chip_) {
    const int error = errno;
    const std::string input = lines.empty() ? std::string("?") : lines.front().input_name;
    throw GpioError("input " + input + ": cannot open " + path_ + ": " + os_reason(error));
  }
  for (const auto& spec : lines) request(spec, consumer);
}

Gpiod1Chip::~Gpiod1Chip() = default;

void Gpiod1Chip::request(const LineSpec& spec, const std::string& consumer) {
  const std::string where = "input " + spec.input_name + ": cannot ";
  gpiod_line* line = gpiod_chip_get_line(chip_.get(), spec.line);
  if (!line) {
    const int error = errno;
    throw GpioError(where + "get line " + std::to_string(spec.line) + " of " + path_ + ": " + os_reason(error) +
                    " (the chip has " + std::to_string(gpiod_chip_num_lines(chip_.get())) + " lines)");
  }
  const gpiod_line_request_config config{consumer.c_str(), GPIOD_LINE_REQUEST_EVENT_BOTH_EDGES,
                                         request_flags(spec)};
  if (gpiod_line_request(line, &config, 0) != 0) {
    const int error = errno;
    const char* holder = gpiod_line_consumer(line);
    throw GpioError(where + "request line " + std::to_string(spec.line) + " on " + path_ + ": " +
                    os_reason(error) + (holder ? std::string(" (held by '") + holder + "')" : std::string()));
  }
  const int fd = gpiod_line_event_get_fd(line);
  // Drained in batches until EAGAIN, never blocking the event loop.
  if (fd < 0 || fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) != 0) {
    const int error = errno;
    throw GpioError(where + "read events of line " + std::to_string(spec.line) + " on " + path_ + ": " +
                    os_reason(error));
  }
  lines_.push_back({spec.input, line, fd});
}

std::string Gpiod1Chip::label() const {
  const char* label = gpiod_chip_label(chip_.get());
  return label ? label : "";
}

std::optional<std::string> find_chip_by_label(const std::string& label) {
  std::error_code ec;
  for (std::filesystem::directory_iterator it("/dev", ec), end; !ec && it != end; it.increment(ec)) {
    const std::filesystem::directory_entry& entry = *it;
    const std::string name = entry.path().filename().string();
    if (name.rfind("gpiochip", 0) != 0) continue;
    std::unique_ptr<gpiod_chip, decltype(&gpiod_chip_close)> chip(gpiod_chip_open(entry.path().c_str()),
                                                                   &gpiod_chip_close);
    if (chip && label == gpiod_chip_label(chip.get())) return name;
  }
  return std::nullopt;
}

int Gpiod1Chip::level(const RequestedLine& line) const { return gpiod_line_get_value(line.line); }

}  // namespace roadspeed
