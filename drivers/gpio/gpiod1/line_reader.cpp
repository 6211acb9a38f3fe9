#include "drivers/gpio/gpiod1/line_reader.hpp"

#include <gpiod.h>

#include <array>
#include <cerrno>
#include <exception>
#include <system_error>
#include <vector>

namespace roadspeed {

LineReader::LineReader(boost::asio::io_context& io, int fd, InputId input, Batch on_batch, Failure on_failure)
    : fd_(io, fd), input_(input), on_batch_(std::move(on_batch)), on_failure_(std::move(on_failure)) {}

void LineReader::start() { wait(); }

void LineReader::detach() {
  if (!attached_) return;
  attached_ = false;
  boost::system::error_code ignored;
  fd_.cancel(ignored);
  fd_.release();
}

void LineReader::wait() {
  fd_.async_wait(boost::asio::posix::stream_descriptor::wait_read,
                 [self = shared_from_this()](const boost::system::error_code& ec) { self->on_readable(ec); });
}

void LineReader::on_readable(const boost::system::error_code& ec) {
  // A completion already queued when detach() ran still arrives here.
  if (!attached_ || ec == boost::asio::error::operation_aborted) return;
  try {
    if (ec) {
      on_failure_("waiting for events: " + ec.message());
      return;
    }
    if (drain()) wait();
  } catch (const std::exception& e) {
    // Exceptions never leave an Asio handler: report, keep reading.
    on_failure_(std::string("handling events: ") + e.what());
    if (attached_) wait();
  }
}

// Reads until the queue is empty. False when the line can no longer be read.
bool LineReader::drain() {
  std::array<gpiod_line_event, kBatchEvents> raw{};
  std::vector<LineEvent> batch;
  for (;;) {
    const int n = gpiod_line_event_read_fd_multiple(fd_.native_handle(), raw.data(), kBatchEvents);
    if (n < 0) {
      const int error = errno;
      if (error == EAGAIN || error == EINTR) break;
      on_failure_("reading events: " + std::system_category().message(error));
      return false;
    }
    for (int i = 0; i < n; ++i) {
      const auto& ev = raw[static_cast<std::size_t>(i)];
      const std::int64_t t_mono_ns = std::int64_t{ev.ts.tv_sec} * 1'000'000'000 + ev.ts.tv_nsec;
      batch.push_back({t_mono_ns, input_, ev.event_type == GPIOD_LINE_EVENT_RISING_EDGE ? std::uint8_t{1}
                                                                                           : std::uint8_t{0}});
    }
    if (static_cast<unsigned>(n) < kBatchEvents) break;
  }
  if (!batch.empty()) on_batch_(batch);
  return attached_;
}

}  // namespace roadspeed
