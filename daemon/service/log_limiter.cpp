#include "daemon/service/log_limiter.hpp"

#include <utility>

namespace roadspeed {

LogLimiter::LogLimiter(Sink sink, Clock clock) : sink_(std::move(sink)), clock_(std::move(clock)) {}

void LogLimiter::close_if_over(const std::string& key, Window& w, std::chrono::steady_clock::time_point now) {
  if (now - w.start < window) return;
  if (w.suppressed)
    sink_(key + ": " + std::to_string(w.suppressed) + " more lines like this in the last " +
          std::to_string(window.count()) + " s");
  w = Window{now, 0, 0};
}

void LogLimiter::log(const std::string& key, std::string_view line) {
  const auto now = clock_();
  auto [it, fresh] = windows_.try_emplace(key, Window{now, 0, 0});
  if (!fresh) close_if_over(key, it->second, now);
  Window& w = it->second;
  if (w.logged < burst) {
    ++w.logged;
    sink_(line);
  } else {
    ++w.suppressed;
  }
}

void LogLimiter::tick() {
  const auto now = clock_();
  for (auto& [key, w] : windows_) close_if_over(key, w, now);
}

}  // namespace roadspeed
