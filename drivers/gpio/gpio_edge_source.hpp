// Live edges from GPIO lines, as every other source gives them: wall-clock
// Edges in time order. Runs a back-end (gpio_driver.hpp) on an io_context
// and feeds its batches through an EdgeMerger (the pure part: clock offset,
// reorder window, lost-edge evidence), with a timer for held edges.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "drivers/gpio/edge_merger.hpp"
#include "drivers/gpio/gpio_driver.hpp"

namespace roadspeed {

struct GpioSourceHandlers {
  std::function<void(const Edge&)> on_edge;  // in non-decreasing t_ns
  std::function<void(const ChipHealth&)> on_chip;
  // An edge that repeats its input's level: at least one edge was lost before it.
  std::function<void(const Edge&)> on_lost_edge;
  // A run-time error, already survived; one line for the log.
  std::function<void(const std::string&)> on_error;
};

class GpioEdgeSource {
 public:
  // `mono_to_wall_ns` is added to every kernel timestamp (CLOCK_MONOTONIC):
  // the caller holds it constant for one trace file.
  GpioEdgeSource(boost::asio::io_context& io, const Site& site, std::int64_t mono_to_wall_ns,
                 GpioSourceHandlers handlers, std::string_view backend = kDefaultGpioBackend,
                 std::int64_t window_ns = kReorderWindowNs);
  ~GpioEdgeSource();

  // Requests the lines; throws GpioError (one line) when one cannot be had.
  void open();
  void start();
  // Stops reading and releases every held edge, then the lines.
  void stop();

  // When the oldest edge held in the reorder window is due (monotonic), if any.
  std::optional<std::int64_t> next_due_mono_ns() const { return merger_.next_due_mono_ns(); }
  std::uint64_t lost_edges(InputId input) const { return merger_.lost_edges(input); }
  std::uint64_t late_edges() const { return merger_.late_edges(); }
  std::int64_t max_lateness_ns() const { return merger_.max_lateness_ns(); }

 private:
  void release();
  void emit();
  void arm_timer();

  GpioSourceHandlers handlers_;
  EdgeMerger merger_;
  boost::asio::steady_timer timer_;
  std::unique_ptr<GpioDriver> driver_;
  std::vector<Edge> released_;  // reused between releases
  std::vector<Edge> lost_;
};

}  // namespace roadspeed
