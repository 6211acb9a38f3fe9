#include "drivers/gpio/gpiod1/gpiod1_driver.hpp"

#include <algorithm>
#include <exception>

#include "drivers/gpio/mono_clock.hpp"

namespace roadspeed {

Gpiod1Driver::Gpiod1Driver(boost::asio::io_context& io, const Site& site, GpioHandlers handlers)
    : io_(io), handlers_(std::move(handlers)), reopen_timer_(io) {
  for (std::size_t i = 0; i < site.inputs.size(); ++i) {
    const Input& in = site.inputs[i];
    ChipSlot* slot = find(in.chip);
    if (!slot) slot = &slots_.emplace_back(ChipSlot{in.chip, in.chip, {}, {}, nullptr, {}, {}});
    slot->lines.push_back({static_cast<InputId>(i), in.name, in.line, in.active_low, in.bias});
  }
}

Gpiod1Driver::~Gpiod1Driver() { close(); }

Gpiod1Driver::ChipSlot* Gpiod1Driver::find(std::string_view chip) {
  const auto it = std::find_if(slots_.begin(), slots_.end(), [&](const ChipSlot& s) { return s.name == chip; });
  return it == slots_.end() ? nullptr : &*it;
}

void Gpiod1Driver::open_slot(ChipSlot& slot, const std::string& dev_name) {
  slot.chip = std::make_unique<Gpiod1Chip>(dev_name, slot.lines, kConsumer);
  slot.current = dev_name;
  slot.label = slot.chip->label();
}

void Gpiod1Driver::open() {
  try {
    for (auto& slot : slots_) open_slot(slot, slot.name);
  } catch (...) {
    for (auto& slot : slots_) slot.chip.reset();  // all or nothing
    throw;
  }
}

void Gpiod1Driver::start() {
  running_ = true;
  // Watched before reading, so a chip that leaves from now on is noticed.
  watcher_.emplace(io_, "/dev", [this](std::string_view name, DevWatcher::Change c) { on_dev_change(name, c); });
  for (auto& slot : slots_) start_reading(slot);
}

void Gpiod1Driver::close() {
  running_ = false;
  watcher_.reset();
  reopen_timer_.cancel();
  for (auto& slot : slots_) {
    stop_reading(slot);
    slot.chip.reset();
  }
}

void Gpiod1Driver::start_reading(ChipSlot& slot) {
  const std::int64_t t_mono_ns = mono_now_ns();
  for (const auto& line : slot.chip->lines()) {
    auto reader = std::make_shared<LineReader>(
        io_, line.event_fd, line.input, [this](std::span<const LineEvent> batch) { handlers_.on_events(batch); },
        [this, name = slot.name](const std::string& why) {
          if (ChipSlot* s = find(name)) lose(*s, why);
        });
    slot.readers.push_back(reader);
    reader->start();
    // The level now, so a line already active (or changed while its chip was
    // away) starts right; the source drops it when it changes nothing.
    const int level = slot.chip->level(line);
    if (level >= 0) {
      const LineEvent snapshot{t_mono_ns, line.input, static_cast<std::uint8_t>(level), true};
      handlers_.on_events({&snapshot, 1});
    }
  }
}

void Gpiod1Driver::stop_reading(ChipSlot& slot) {
  for (auto& reader : slot.readers) reader->detach();
  slot.readers.clear();
}

void Gpiod1Driver::lose(ChipSlot& slot, const std::string& why) {
  if (!slot.chip) return;
  stop_reading(slot);
  slot.chip.reset();
  slot.last_error = why;
  handlers_.on_chip({slot.name, ChipState::missing,
                     "/dev/" + slot.current + " lost (" + why + "); its inputs are not read until it is back"});
  arm_reopen_timer();
}

void Gpiod1Driver::try_reopen(ChipSlot& slot) {
  if (slot.chip || !running_) return;
  // The chip's number can change when it comes back (its old number may
  // still be held by the kernel): look for its label.
  const std::string dev_name = find_chip_by_label(slot.label).value_or(slot.current);
  try {
    open_slot(slot, dev_name);
  } catch (const std::exception& e) {  // runs in Asio handlers: never let it out
    slot.chip.reset();
    if (slot.last_error != e.what()) {  // each new reason once, not every retry
      slot.last_error = e.what();
      handlers_.on_chip({slot.name, ChipState::missing, "not back yet: " + slot.last_error});
    }
    arm_reopen_timer();
    return;
  }
  handlers_.on_chip({slot.name, ChipState::open,
                     "/dev/" + slot.current + " (" + slot.label + ") is back; its lines are requested again"});
  start_reading(slot);
}

void Gpiod1Driver::on_dev_change(std::string_view name, DevWatcher::Change change) {
  if (name.substr(0, 8) != "gpiochip") return;
  for (auto& slot : slots_) {
    if (change == DevWatcher::Change::removed) {
      if (slot.current == name) lose(slot, "device node removed");
    } else {
      try_reopen(slot);  // any new chip may be this one, renumbered
    }
  }
}

void Gpiod1Driver::arm_reopen_timer() {
  if (!running_) return;
  reopen_timer_.expires_after(kReopenInterval);
  reopen_timer_.async_wait([this](const boost::system::error_code& ec) {
    if (ec || !running_) return;
    try {
      for (auto& slot : slots_) try_reopen(slot);
    } catch (...) {
      arm_reopen_timer();  // never out of an Asio handler; try again later
    }
  });
}

}  // namespace roadspeed
