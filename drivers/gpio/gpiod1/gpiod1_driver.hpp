// The libgpiod 1.6 back-end: the site's lines grouped by chip, one
// LineReader per line, and a /dev watch that re-opens a chip that went away.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/steady_timer.hpp>

#include "drivers/gpio/dev_watcher.hpp"
#include "drivers/gpio/gpio_driver.hpp"
#include "drivers/gpio/gpiod1/gpiod1_chip.hpp"
#include "drivers/gpio/gpiod1/line_reader.hpp"

namespace roadspeed {

class Gpiod1Driver final : public GpioDriver {
 public:
  Gpiod1Driver(boost::asio::io_context& io, const Site& site, GpioHandlers handlers);
  ~Gpiod1Driver() override;

  void open() override;
  void start() override;
  void close() override;

 private:
  // A device node can appear before it can be opened (udev sets its owner
  // after), so a missing chip is also retried at this pace.
  static constexpr std::chrono::milliseconds kReopenInterval{500};
  static constexpr const char* kConsumer = "roadspeed";

  struct ChipSlot {
    std::string name;     // as in the site file
    std::string current;  // the device node in use: `name`, unless the chip came back renumbered
    std::string label;    // how a renumbered chip is recognised
    std::vector<LineSpec> lines;
    std::unique_ptr<Gpiod1Chip> chip;  // null while the chip is missing
    std::vector<std::shared_ptr<LineReader>> readers;
    std::string last_error;  // why it is missing; each new reason is reported once
  };

  void start_reading(ChipSlot& slot);
  void stop_reading(ChipSlot& slot);
  void lose(ChipSlot& slot, const std::string& why);
  void try_reopen(ChipSlot& slot);
  void on_dev_change(std::string_view name, DevWatcher::Change change);
  void arm_reopen_timer();
  ChipSlot* find(std::string_view chip);
  void open_slot(ChipSlot& slot, const std::string& dev_name);

  boost::asio::io_context& io_;
  GpioHandlers handlers_;
  std::vector<ChipSlot> slots_;
  std::optional<DevWatcher> watcher_;
  boost::asio::steady_timer reopen_timer_;
  bool running_ = false;
};

}  // namespace roadspeed
