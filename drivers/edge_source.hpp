// A live source of edges for the daemon: the GPIO lines, the simulator in
// real time, or a recorded trace played back. Like a chrony refclock driver
// it only hands edges (with the sensor's own timestamps) to the core; the
// maths happens in daemon/detect. All calls and callbacks run on the
// daemon's io_context thread.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>

#include "drivers/edge.hpp"

namespace roadspeed {

class EdgeSource {
 public:
  struct Handlers {
    // Edges in non-decreasing time order, batch after batch.
    std::function<void(std::span<const Edge>)> on_edges;
    // No more edges will come: empty `error` for a normal end (a replay that
    // ran out), else one line saying why.
    std::function<void(const std::string& error)> on_end;
  };

  virtual ~EdgeSource() = default;
  virtual void start(Handlers handlers) = 0;
  // Every edge up to this time (epoch ns) has been delivered, so detection
  // may let time pass up to here.
  virtual std::int64_t delivered_through_ns() const = 0;
  // No handler runs after this returns.
  virtual void stop() = 0;
  // Edge times come from this machine's clock now (GPIO, the live
  // simulator), not from a recording: they are only as right as that clock.
  virtual bool stamps_with_system_clock() const = 0;
  // The source's clock now, in edge time, to measure how late vehicles come
  // out; nullopt when edges do not arrive in real time (a replay as fast
  // as possible).
  virtual std::optional<std::int64_t> clock_now_ns() const = 0;
  // For logs and STATUS=, e.g. "sim" or "replay of FILE".
  virtual std::string describe() const = 0;

  // The most edges of one input that came while the event loop was busy
  // elsewhere, before it took them: what the kernel's per-line event queue
  // (16 events with libgpiod 1.6) would have had to hold on a GPIO line.
  struct Backlog {
    // The kernel's event queue per line with the v1 interface.
    static constexpr std::size_t kernel_queue = 16;
    std::size_t edges = 0;  // the largest
    std::uint16_t input = 0;
    // Times one input's backlog went past the kernel's queue, and the edges
    // beyond it: what a GPIO line would have lost.
    std::uint64_t overflows = 0;
    std::uint64_t edges_beyond = 0;
  };
  // nullopt when the source cannot tell (GPIO itself: the kernel does not
  // say; a replay as fast as possible has no time to be late for).
  virtual std::optional<Backlog> largest_backlog() const { return std::nullopt; }
};

}  // namespace roadspeed
