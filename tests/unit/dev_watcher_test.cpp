// The /dev watch that re-opens a chip that went away: real inotify on a
// temporary folder standing in for /dev.
#include <catch2/catch.hpp>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include "drivers/gpio/dev_watcher.hpp"

using namespace roadspeed;
namespace fs = std::filesystem;

namespace {

struct TempDir {
  fs::path path = fs::temp_directory_path() / ("roadspeed-dev-watcher-" + std::to_string(::getpid()));
  TempDir() { fs::create_directories(path); }
  ~TempDir() { fs::remove_all(path); }
};

std::string describe(std::string_view name, DevWatcher::Change change) {
  const char* what = change == DevWatcher::Change::created   ? "created"
                     : change == DevWatcher::Change::removed ? "removed"
                                                             : "attributes";
  return std::string(name) + " " + what;
}

}  // namespace

TEST_CASE("a device node created and removed in the watched folder is reported in order", "[gpio]") {
  TempDir dir;
  boost::asio::io_context io;
  std::vector<std::string> seen;
  DevWatcher watcher(io, dir.path.string(), [&](std::string_view name, DevWatcher::Change c) {
    seen.push_back(describe(name, c));
  });
  boost::asio::post(io, [&] {
    std::ofstream(dir.path / "gpiochip3").put('x');
    fs::remove(dir.path / "gpiochip3");
  });
  io.run_for(std::chrono::milliseconds(300));
  REQUIRE(seen.size() >= 2);
  CHECK(seen.front() == "gpiochip3 created");
  CHECK(seen.back() == "gpiochip3 removed");
}

TEST_CASE("nothing is reported after the watcher is destroyed", "[gpio]") {
  TempDir dir;
  boost::asio::io_context io;
  int calls = 0;
  {
    DevWatcher watcher(io, dir.path.string(), [&](std::string_view, DevWatcher::Change) { ++calls; });
  }
  std::ofstream(dir.path / "gpiochip4").put('x');
  io.run_for(std::chrono::milliseconds(100));
  CHECK(calls == 0);
}

TEST_CASE("a folder that cannot be watched is an error naming it", "[gpio]") {
  boost::asio::io_context io;
  try {
    DevWatcher watcher(io, "/nonexistent-roadspeed-dev", [](std::string_view, DevWatcher::Change) {});
    FAIL("no error");
  } catch (const std::system_error& e) {
    CHECK(std::string(e.what()).find("/nonexistent-roadspeed-dev") != std::string::npos);
  }
}
