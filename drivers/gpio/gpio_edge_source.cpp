#include "drivers/gpio/gpio_edge_source.hpp"

#include <chrono>
#include <exception>

#include "drivers/gpio/mono_clock.hpp"

namespace roadspeed {

GpioEdgeSource::GpioEdgeSource(boost::asio::io_context& io, const Site& site, std::int64_t mono_to_wall_ns,
                               GpioSourceHandlers handlers, std::string_view backend, std::int64_t window_ns)
    : mono_to_wall_ns_(mono_to_wall_ns),
      handlers_(std::move(handlers)),
      window_(window_ns),
      lost_(site.inputs.size()),
      timer_(io) {
  GpioHandlers raw;
  raw.on_events = [this](std::span<const LineEvent> batch) { on_events(batch); };
  raw.on_chip = [this](const ChipHealth& h) { handlers_.on_chip(h); };
  driver_ = make_gpio_driver(backend, io, site, std::move(raw));
}

GpioEdgeSource::~GpioEdgeSource() { driver_->close(); }

void GpioEdgeSource::open() { driver_->open(); }

void GpioEdgeSource::start() { driver_->start(); }

void GpioEdgeSource::stop() {
  driver_->close();
  timer_.cancel();
  window_.release_all(released_);
  emit(released_);
}

void GpioEdgeSource::on_events(std::span<const LineEvent> batch) {
  for (const LineEvent& ev : batch) {
    // A snapshot that matches what the line last did is not an edge.
    if (ev.snapshot && ev.level == lost_.level(ev.input)) continue;
    window_.push({ev.t_mono_ns, ev.input, ev.level});
  }
  release(mono_now_ns());
}

void GpioEdgeSource::release(std::int64_t now_mono_ns) {
  window_.release(now_mono_ns, released_);
  emit(released_);
  arm_timer();
}

void GpioEdgeSource::emit(std::vector<Edge>& edges) {
  for (Edge e : edges) {
    e.t_ns += mono_to_wall_ns_;
    try {
      if (lost_.observe(e) && handlers_.on_lost_edge) handlers_.on_lost_edge(e);
      handlers_.on_edge(e);
    } catch (const std::exception& ex) {
      report("delivering an edge", ex);
    }
  }
  edges.clear();
}

void GpioEdgeSource::arm_timer() {
  const auto due_ns = window_.next_due_ns();
  if (!due_ns) return;
  timer_.expires_at(std::chrono::steady_clock::time_point(std::chrono::nanoseconds(*due_ns)));
  timer_.async_wait([this](const boost::system::error_code& ec) {
    if (!ec) release(mono_now_ns());
  });
}

void GpioEdgeSource::report(const char* what, const std::exception& e) {
  if (handlers_.on_error) handlers_.on_error(std::string(what) + ": " + e.what());
}

}  // namespace roadspeed
