#include "drivers/gpio/dev_watcher.hpp"

#include <sys/inotify.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <system_error>

namespace roadspeed {

DevWatcher::DevWatcher(boost::asio::io_context& io, const std::string& dir, Callback on_change)
    : state_(std::make_shared<State>(io)) {
  const int fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (fd < 0) throw std::system_error(errno, std::system_category(), "cannot create an inotify instance");
  state_->fd.assign(fd);
  if (inotify_add_watch(fd, dir.c_str(), IN_CREATE | IN_DELETE | IN_ATTRIB) < 0)
    throw std::system_error(errno, std::system_category(), "cannot watch " + dir + " with inotify");
  state_->on_change = std::move(on_change);
  wait(state_);
}

DevWatcher::~DevWatcher() {
  state_->active = false;
  boost::system::error_code ignored;
  state_->fd.close(ignored);
}

void DevWatcher::wait(const std::shared_ptr<State>& state) {
  state->fd.async_wait(boost::asio::posix::stream_descriptor::wait_read,
                       [state](const boost::system::error_code& ec) {
                         if (!state->active || ec) return;
                         drain(*state);
                         if (state->active) wait(state);
                       });
}

void DevWatcher::drain(State& state) {
  for (;;) {
    const ssize_t n = ::read(state.fd.native_handle(), state.buf.data(), state.buf.size());
    if (n <= 0) return;  // EAGAIN: drained; an overflowed queue only loses hints
    for (ssize_t at = 0; at < n;) {
      inotify_event ev;
      std::memcpy(&ev, state.buf.data() + at, sizeof ev);
      const std::string_view name(state.buf.data() + at + sizeof ev, ::strnlen(state.buf.data() + at + sizeof ev, ev.len));
      at += static_cast<ssize_t>(sizeof ev + ev.len);
      if (name.empty() || !state.active) continue;
      const Change change = (ev.mask & IN_CREATE) ? Change::created
                            : (ev.mask & IN_DELETE) ? Change::removed
                                                    : Change::attributes;
      try {
        state.on_change(name, change);
      } catch (...) {
        // Exceptions never leave an Asio handler; the callback reports its own errors.
      }
    }
  }
}

}  // namespace roadspeed
