// Keeps one noisy cause from flooding the journal: at most `burst` lines per
// key in a window; the rest are counted and summed up in one line when the
// window turns ("gpio: 4711 more lines like this in the last 60 s").
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>

namespace roadspeed {

class LogLimiter {
 public:
  static constexpr int burst = 5;
  static constexpr std::chrono::seconds window{60};

  using Sink = std::function<void(std::string_view)>;
  using Clock = std::function<std::chrono::steady_clock::time_point()>;
  explicit LogLimiter(Sink sink, Clock clock = [] { return std::chrono::steady_clock::now(); });

  // Logs `line` unless `key` has had `burst` lines in this window.
  void log(const std::string& key, std::string_view line);
  // Closes windows that have passed, logging what they suppressed.
  void tick();

 private:
  struct Window {
    std::chrono::steady_clock::time_point start;
    int logged = 0;
    std::uint64_t suppressed = 0;
  };
  void close_if_over(const std::string& key, Window& w, std::chrono::steady_clock::time_point now);

  Sink sink_;
  Clock clock_;
  std::map<std::string, Window> windows_;
};

}  // namespace roadspeed
