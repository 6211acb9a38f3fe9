// The GPIO driver interface: one small back-end per GPIO library (libgpiod
// 1.6 today, libgpiod 2 later), listed in one table (gpio_backends.cpp).
// Like a chrony reference-clock driver, a back-end only opens lines and hands
// raw kernel timestamps on; merging, clock mapping and lost-edge evidence are
// done once, in GpioEdgeSource.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/io_context.hpp>

#include "daemon/site/site.hpp"
#include "drivers/edge.hpp"
#include "drivers/gpio/line_event.hpp"

namespace roadspeed {

enum class ChipState : std::uint8_t { open, missing };

// A chip appearing or vanishing at run time, for logs and sensor health.
struct ChipHealth {
  std::string chip;  // e.g. "gpiochip0"
  ChipState state = ChipState::open;
  std::string message;  // one line, for the log
};

struct GpioHandlers {
  // A batch of events, all of one line and in order. Called on the io_context.
  std::function<void(std::span<const LineEvent>)> on_events;
  std::function<void(const ChipHealth&)> on_chip;
};

// A start-up error: one line naming the input, the chip, the line and the
// operating system's reason.
class GpioError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class GpioDriver {
 public:
  virtual ~GpioDriver() = default;
  // Requests every input's line for both edges, with active_low and bias.
  // Throws GpioError for the first line that cannot be had; then nothing is held.
  virtual void open() = 0;
  // Starts reading on the io_context given at construction.
  virtual void start() = 0;
  // Stops reading and releases every line; handlers are not called after.
  virtual void close() = 0;
};

using GpioDriverFactory =
    std::function<std::unique_ptr<GpioDriver>(boost::asio::io_context&, const Site&, GpioHandlers)>;

struct GpioBackend {
  std::string_view name;
  std::string_view description;
  GpioDriverFactory make;
};

inline constexpr std::string_view kDefaultGpioBackend = "libgpiod1";

// Every back-end, in one table.
const std::vector<GpioBackend>& gpio_backends();
// Throws std::invalid_argument naming the known back-ends for an unknown name.
std::unique_ptr<GpioDriver> make_gpio_driver(std::string_view backend, boost::asio::io_context& io,
                                             const Site& site, GpioHandlers handlers);

}  // namespace roadspeed
