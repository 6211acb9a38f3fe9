// vm_drive: plays an edge trace onto gpio-sim lines inside the VM test, by
// writing "pull-up"/"pull-down" to each line's sysfs `pull` file at the
// trace's pace, and reports how late each write was against its schedule.
// TIMES gets one row per edge, "due_ns,before_ns,after_ns" on
// CLOCK_MONOTONIC: when the edge was due and when its write began and ended,
// so the host can check that each recorded kernel timestamp falls inside
// its write. Its first line, "# realtime - monotonic: N ns", takes the
// recorded wall times back to CLOCK_MONOTONIC: nothing steps or slews the
// guest's clock, so roadspeedd, which stamps edges with the offset of its
// own start, uses the same one to within microseconds.
//
//   vm_drive TRACE TIMES NAME=PULL_FILE[:active_low] ...
//
// Not a mock of anything: the kernel's gpio-sim turns the pulls into real
// edges that the recorder reads through libgpiod.
#include <fcntl.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <map>
#include <string>
#include <vector>

namespace {

struct Line {
  int fd = -1;
  bool active_low = false;
};

struct Step {
  std::int64_t t_ns;
  const Line* line;
  bool active;
};

// Time to settle the recorder before the first edge.
constexpr std::int64_t kLeadInNs = 500'000'000;
// A sleeping task wakes late under emulation (timer interrupts, a busy
// host): sleep until this long before an edge, then spin to it.
constexpr std::int64_t kSpinNs = 3'000'000;

std::int64_t mono_ns() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return std::int64_t{ts.tv_sec} * 1'000'000'000 + ts.tv_nsec;
}

// CLOCK_REALTIME minus CLOCK_MONOTONIC, from the tightest of a few
// monotonic brackets around a realtime read.
std::int64_t realtime_minus_monotonic_ns() {
  std::int64_t best_width = INT64_MAX, offset = 0;
  for (int i = 0; i < 20; ++i) {
    timespec wall{};
    const std::int64_t before = mono_ns();
    clock_gettime(CLOCK_REALTIME, &wall);
    const std::int64_t after = mono_ns();
    if (after - before < best_width) {
      best_width = after - before;
      offset = std::int64_t{wall.tv_sec} * 1'000'000'000 + wall.tv_nsec - (before + (after - before) / 2);
    }
  }
  return offset;
}

std::map<std::string, Line> open_lines(int argc, char** argv) {
  std::map<std::string, Line> lines;
  for (int i = 3; i < argc; ++i) {
    std::string arg = argv[i];
    const auto eq = arg.find('=');
    if (eq == std::string::npos) throw std::runtime_error("expected NAME=PULL_FILE[:active_low], got " + arg);
    std::string path = arg.substr(eq + 1);
    Line line;
    if (const auto colon = path.rfind(":active_low"); colon != std::string::npos && colon + 11 == path.size()) {
      line.active_low = true;
      path.resize(colon);
    }
    line.fd = ::open(path.c_str(), O_WRONLY);
    if (line.fd < 0) throw std::runtime_error("cannot open " + path + ": " + std::strerror(errno));
    lines[arg.substr(0, eq)] = line;
  }
  return lines;
}

std::vector<Step> read_trace(const char* path, const std::map<std::string, Line>& lines) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error(std::string("cannot open ") + path);
  std::vector<Step> steps;
  std::string row;
  while (std::getline(in, row)) {
    if (row.empty() || row[0] == '#' || row.rfind("time_ns", 0) == 0) continue;
    const auto c1 = row.find(','), c2 = row.rfind(',');
    const auto it = lines.find(row.substr(c1 + 1, c2 - c1 - 1));
    if (c1 == std::string::npos || c1 == c2 || it == lines.end())
      throw std::runtime_error(std::string(path) + ": unexpected row " + row);
    steps.push_back({std::stoll(row.substr(0, c1)), &it->second, row.substr(c2 + 1) == "1"});
  }
  return steps;
}

void set_pull(const Line& line, bool active) {
  const char* pull = (active != line.active_low) ? "pull-up" : "pull-down";
  if (::pwrite(line.fd, pull, std::strlen(pull), 0) < 0)
    throw std::runtime_error(std::string("cannot write ") + pull + ": " + std::strerror(errno));
}

}  // namespace

int main(int argc, char** argv) try {
  if (argc < 4) {
    std::cerr << "usage: vm_drive TRACE TIMES NAME=PULL_FILE[:active_low] ...\n";
    return 2;
  }
  const auto lines = open_lines(argc, argv);
  const auto steps = read_trace(argv[1], lines);
  if (steps.empty()) throw std::runtime_error("no edges to drive");
  const std::int64_t start_ns = mono_ns() + kLeadInNs - steps.front().t_ns;
  std::ofstream times(argv[2]);
  if (!times) throw std::runtime_error(std::string("cannot create ") + argv[2]);
  times << "# realtime - monotonic: " << realtime_minus_monotonic_ns() << " ns\n";
  std::vector<std::int64_t> late_ns;
  for (const Step& s : steps) {
    const std::int64_t due_ns = start_ns + s.t_ns;
    const std::int64_t wake_ns = due_ns - kSpinNs;
    const timespec wake{static_cast<time_t>(wake_ns / 1'000'000'000), static_cast<long>(wake_ns % 1'000'000'000)};
    while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &wake, nullptr) == EINTR) {
    }
    while (mono_ns() < due_ns) {
    }
    const std::int64_t before_ns = mono_ns();
    set_pull(*s.line, s.active);
    const std::int64_t after_ns = mono_ns();
    late_ns.push_back(after_ns - due_ns);
    times << due_ns << ',' << before_ns << ',' << after_ns << '\n';
  }
  times.close();
  if (!times) throw std::runtime_error(std::string("cannot write ") + argv[2]);
  std::sort(late_ns.begin(), late_ns.end());
  const auto us = [](std::int64_t ns) { return static_cast<double>(ns) / 1000.0; };
  std::printf("DRIVE: %zu edges; write done after its due time: median %.0f us, p99 %.0f us, max %.0f us\n",
              late_ns.size(), us(late_ns[late_ns.size() / 2]), us(late_ns[late_ns.size() * 99 / 100]),
              us(late_ns.back()));
  return 0;
} catch (const std::exception& e) {
  std::cerr << "vm_drive: " << e.what() << '\n';
  return 1;
}
