// Reads one line's kernel event queue on an Asio io_context: wait until the
// descriptor is readable, then drain every pending event in batches.
#pragma once

#include <functional>
#include <memory>
#include <span>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>

#include "drivers/gpio/gpio_driver.hpp"

namespace roadspeed {

class LineReader : public std::enable_shared_from_this<LineReader> {
 public:
  using Batch = std::function<void(std::span<const LineEvent>)>;
  using Failure = std::function<void(const std::string& message)>;

  // `fd` stays owned by libgpiod: detach() gives it back before the chip closes.
  LineReader(boost::asio::io_context& io, int fd, InputId input, Batch on_batch, Failure on_failure);
  // Starts the wait; the pending handler holds the reader alive.
  void start();
  // Cancels the wait and lets go of the descriptor; no callback after this.
  void detach();

 private:
  // The kernel queues at most 16 events per line (v1 interface).
  static constexpr unsigned kBatchEvents = 16;
  void wait();
  void on_readable(const boost::system::error_code& ec);
  bool drain();

  boost::asio::posix::stream_descriptor fd_;
  InputId input_;
  Batch on_batch_;
  Failure on_failure_;
  bool attached_ = true;
};

}  // namespace roadspeed
