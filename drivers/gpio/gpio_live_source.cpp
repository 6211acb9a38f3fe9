#include "drivers/gpio/gpio_live_source.hpp"

#include <span>
#include <utility>

#include "drivers/gpio/mono_clock.hpp"

namespace roadspeed {

GpioLiveSource::GpioLiveSource(boost::asio::io_context& io, const Site& site, std::string_view backend,
                               std::function<void(const std::string&)> log_error)
    : backend_(backend), mono_to_wall_ns_(mono_to_wall_offset_ns()), log_error_(std::move(log_error)) {
  GpioSourceHandlers h;
  h.on_edge = [this](const Edge& e) {
    if (handlers_.on_edges) handlers_.on_edges(std::span<const Edge>(&e, 1));
  };
  h.on_chip = [this](const ChipHealth& c) { log_error_(c.message); };
  h.on_error = [this](const std::string& message) { log_error_(message); };
  gpio_ = std::make_unique<GpioEdgeSource>(io, site, mono_to_wall_ns_, std::move(h), backend);
  gpio_->open();
}

void GpioLiveSource::start(Handlers handlers) {
  handlers_ = std::move(handlers);
  gpio_->start();
}

// Everything stamped before the reorder window, and before the oldest edge
// still held in it, has been handed on.
std::int64_t GpioLiveSource::delivered_through_ns() const {
  std::int64_t through_mono = mono_now_ns() - kReorderWindowNs;
  if (auto due = gpio_->next_due_mono_ns()) through_mono = std::min(through_mono, *due - kReorderWindowNs - 1);
  return through_mono + mono_to_wall_ns_;
}

std::optional<std::int64_t> GpioLiveSource::clock_now_ns() const { return mono_now_ns() + mono_to_wall_ns_; }

void GpioLiveSource::stop() { gpio_->stop(); }

}  // namespace roadspeed
