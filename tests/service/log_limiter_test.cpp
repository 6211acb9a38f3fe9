#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "daemon/service/log_limiter.hpp"

using namespace roadspeed;
using namespace std::chrono_literals;

TEST_CASE("a chattering cause logs a few lines a minute and then says how many it held back", "[service]") {
  std::vector<std::string> lines;
  auto now = std::chrono::steady_clock::time_point{};
  LogLimiter limiter([&](std::string_view l) { lines.emplace_back(l); }, [&] { return now; });
  for (int i = 0; i < 1000; ++i) limiter.log("gpio", "gpio: line " + std::to_string(i));
  limiter.log("store", "store: disk full");  // another cause is not held back
  REQUIRE(lines.size() == LogLimiter::burst + 1);
  CHECK(lines.front() == "gpio: line 0");
  CHECK(lines.back() == "store: disk full");
  now += 59s;
  limiter.tick();
  CHECK(lines.size() == LogLimiter::burst + 1);
  now += 1s;
  limiter.tick();
  REQUIRE(lines.size() == LogLimiter::burst + 2);
  CHECK(lines.back() == "gpio: 995 more lines like this in the last 60 s");
  limiter.log("gpio", "gpio: line again");  // a new window
  CHECK(lines.back() == "gpio: line again");
  now += 60s;
  limiter.tick();
  CHECK(lines.back() == "gpio: line again");  // nothing held back, nothing said
}
