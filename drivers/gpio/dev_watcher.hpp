// Watches /dev with inotify on an Asio io_context: libgpiod 1.6 gives no
// event when a chip goes away or comes back, but its device node does.
#pragma once

#include <array>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>

namespace roadspeed {

class DevWatcher {
 public:
  enum class Change : std::uint8_t { created, removed, attributes };
  using Callback = std::function<void(std::string_view name, Change change)>;

  // Throws std::system_error naming inotify and `dir` when the watch cannot be set.
  DevWatcher(boost::asio::io_context& io, const std::string& dir, Callback on_change);
  ~DevWatcher();
  DevWatcher(const DevWatcher&) = delete;
  DevWatcher& operator=(const DevWatcher&) = delete;

 private:
  // Shared with the pending handler, so destroying the watcher mid-wait is safe.
  struct State {
    explicit State(boost::asio::io_context& io) : fd(io) {}
    boost::asio::posix::stream_descriptor fd;  // owns the inotify descriptor
    Callback on_change;
    bool active = true;
    alignas(8) std::array<char, 4096> buf{};
  };
  static void wait(const std::shared_ptr<State>& state);
  static void drain(State& state);

  std::shared_ptr<State> state_;
};

}  // namespace roadspeed
