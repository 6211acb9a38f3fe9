#include "drivers/gpio/gpio_edge_source.hpp"

#include <chrono>
#include <exception>

#include "drivers/gpio/mono_clock.hpp"

namespace roadspeed {

GpioEdgeSource::GpioEdgeSource(boost::asio::io_context& io, const Site& site, std::int64_t mono_to_wall_ns,
                               GpioSourceHandlers handlers, std::string_view backend, std::int64_t window_ns)
    : handlers_(std::move(handlers)), merger_(site.inputs.size(), mono_to_wall_ns, window_ns), timer_(io) {
  GpioHandlers raw;
  raw.on_events = [this](std::span<const LineEvent> batch) {
    merger_.accept(batch);
    release();
  };
  raw.on_chip = [this](const ChipHealth& h) { handlers_.on_chip(h); };
  driver_ = make_gpio_driver(backend, io, site, std::move(raw));
}

GpioEdgeSource::~GpioEdgeSource() { driver_->close(); }

void GpioEdgeSource::open() { driver_->open(); }

void GpioEdgeSource::start() { driver_->start(); }

void GpioEdgeSource::stop() {
  driver_->close();
  timer_.cancel();
  merger_.release_all(released_, &lost_);
  emit();
}

void GpioEdgeSource::release() {
  merger_.release(mono_now_ns(), released_, &lost_);
  emit();
  arm_timer();
}

void GpioEdgeSource::emit() {
  for (const Edge& e : lost_) {
    if (handlers_.on_lost_edge) handlers_.on_lost_edge(e);
  }
  for (const Edge& e : released_) {
    try {
      handlers_.on_edge(e);
    } catch (const std::exception& ex) {
      // Survived: one edge that cannot be delivered must not stop the reading.
      if (handlers_.on_error) handlers_.on_error(std::string("delivering an edge: ") + ex.what());
    }
  }
  released_.clear();
  lost_.clear();
}

void GpioEdgeSource::arm_timer() {
  const auto due_ns = merger_.next_due_mono_ns();
  if (!due_ns) return;
  // steady_clock is CLOCK_MONOTONIC on Linux: the kernel's timestamp clock.
  timer_.expires_at(std::chrono::steady_clock::time_point(std::chrono::nanoseconds(*due_ns)));
  timer_.async_wait([this](const boost::system::error_code& ec) {
    if (ec) return;
    try {
      release();
    } catch (const std::exception& e) {  // never out of an Asio handler
      if (handlers_.on_error) handlers_.on_error(std::string("releasing held edges: ") + e.what());
    }
  });
}

}  // namespace roadspeed
