// roadspeedd as systemd runs it: the notify protocol on a datagram socket
// named in NOTIFY_SOCKET (no systemd is PID 1 on the build machines), the
// watchdog, SIGHUP and SIGTERM, and the vehicles it stores.
#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <limits>
#include <future>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "../unit/read_file.hpp"
#include "daemon/store/store_reader.hpp"

namespace fs = std::filesystem;

using roadspeed::test::read_file;

namespace {

// A datagram socket standing in for systemd's notify socket.
class NotifySocket {
 public:
  explicit NotifySocket(const fs::path& path) : path_(path) {
    fs::remove(path);
    fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    path.string().copy(addr.sun_path, sizeof addr.sun_path - 1);
    REQUIRE(::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    timeval tv{0, 100'000};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  }
  ~NotifySocket() {
    ::close(fd_);
    fs::remove(path_);
  }
  // Messages received until one contains `what`, or the timeout passes.
  bool wait_for(const std::string& what, std::chrono::milliseconds timeout) {
    const auto end = std::chrono::steady_clock::now() + timeout;
    for (const auto& m : messages)
      if (m.find(what) != std::string::npos) return true;
    while (std::chrono::steady_clock::now() < end) {
      char buf[4096];
      const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
      if (n <= 0) continue;
      messages.emplace_back(buf, static_cast<std::size_t>(n));
      if (messages.back().find(what) != std::string::npos) return true;
    }
    return false;
  }
  std::vector<std::string> messages;

 private:
  fs::path path_;
  int fd_ = -1;
};

struct Daemon {
  pid_t pid = -1;
  Daemon(const fs::path& config, const fs::path& notify, const fs::path& log) {
    pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      ::setenv("NOTIFY_SOCKET", notify.c_str(), 1);
      ::setenv("WATCHDOG_USEC", "400000", 1);
      ::unsetenv("WATCHDOG_PID");
      if (FILE* f = std::freopen(log.c_str(), "w", stderr); !f) ::_exit(127);
      ::execl(ROADSPEEDD, ROADSPEEDD, "--config", config.c_str(), static_cast<char*>(nullptr));
      ::_exit(127);
    }
  }
  // The exit status, or -1 when it has not exited within the timeout.
  int wait_exit(std::chrono::milliseconds timeout) {
    const auto end = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < end) {
      int status = 0;
      if (::waitpid(pid, &status, WNOHANG) == pid) {
        pid = -1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return -1;
  }
  ~Daemon() {
    if (pid > 0) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, nullptr, 0);
    }
  }
};

fs::path work_dir(const std::string& name) {
  const fs::path dir = fs::temp_directory_path() / ("roadspeedd-test-" + std::to_string(::getpid()) + "-" + name);
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

void write(const fs::path& p, const std::string& text) { std::ofstream(p) << text; }

// The edge rows of a trace, without its comments and column line.
std::string data_rows(const std::string& trace) {
  std::istringstream in(trace);
  std::string line, rows;
  while (std::getline(in, line))
    if (!line.empty() && line[0] >= '0' && line[0] <= '9') rows += line + '\n';
  return rows;
}

}  // namespace

TEST_CASE("roadspeedd reports ready, pings the watchdog and stores what a replay gives", "[service]") {
  const fs::path dir = work_dir("replay");
  const fs::path data = ROADSPEED_TEST_DATA;
  fs::copy_file(data / "sites/villa-street.toml", dir / "site.toml");
  // A year-old recording: retention must not prune it at once.
  write(dir / "d.toml", "site_file = \"site.toml\"\ndatabase = \"roadspeed.db\"\nretention_days = 36500\n"
                        "vehicles_file = \"vehicles.csv\"\n[source]\nkind = \"replay\"\n"
                        "trace = \"" + (data / "villa-hour.trace.csv").string() + "\"\npace = \"fast\"\n");
  NotifySocket notify(dir / "notify");
  Daemon d(dir / "d.toml", dir / "notify", dir / "log");

  REQUIRE(notify.wait_for("READY=1", std::chrono::seconds(10)));
  CHECK(notify.wait_for("STATUS=", std::chrono::seconds(2)));
  CHECK(notify.wait_for("WATCHDOG=1", std::chrono::seconds(2)));
  // The replay runs out; the daemon keeps running and pinging.
  notify.messages.clear();
  CHECK(notify.wait_for("WATCHDOG=1", std::chrono::seconds(2)));

  // Writes the site file and sends SIGHUP: does the log say `expected` within 2 s?
  auto reload_logs = [&](const std::string& site_text, const std::string& expected) {
    write(dir / "site.toml", site_text);
    ::kill(d.pid, SIGHUP);
    const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(2);
    while (std::chrono::steady_clock::now() < end) {
      if (read_file(dir / "log").find(expected) != std::string::npos) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
  };
  SECTION("a site file changed on SIGHUP takes over once the loops are clear") {
    std::string site = read_file(dir / "site.toml");
    site.replace(site.find("spacing_m = 3.0"), 15, "spacing_m = 3.2");
    CHECK(reload_logs(site, "site villa-street-01 reloaded"));
  }
  SECTION("a site file changing the input lines on SIGHUP is refused") {
    std::string site = read_file(dir / "site.toml");
    site.replace(site.find("line = 27"), 9, "line = 22");
    CHECK(reload_logs(site, "changes the [[input]] lines, which needs a restart"));
  }
  SECTION("a site file broken on SIGHUP is refused and the old one kept") {
    CHECK(reload_logs("[site]\nid = 3\n", "SIGHUP: keeping the current site: "));
  }

  // SIGTERM: everything flushed, exit 0 within 2 s.
  const auto stop = std::chrono::steady_clock::now();
  ::kill(d.pid, SIGTERM);
  CHECK(d.wait_exit(std::chrono::seconds(2)) == 0);
  CHECK(std::chrono::steady_clock::now() - stop < std::chrono::seconds(2));
  CHECK(notify.wait_for("STOPPING=1", std::chrono::milliseconds(200)));
  // The same vehicles, in the same order, as `roadspeed analyze` gives.
  CHECK(read_file(dir / "vehicles.csv") == read_file(data / "villa-hour.vehicles.csv"));
  // The database holds them all, their bins and the observed time.
  roadspeed::store::StoreReader db(dir / "roadspeed.db");
  roadspeed::store::Selection all{"villa-street-01", std::nullopt, std::nullopt, 0, std::numeric_limits<std::int64_t>::max()};
  CHECK(db.vehicles(all).size() == 416);
  std::uint64_t binned = 0;
  for (const auto& b : db.bins(all)) binned += b.counts.vehicles;
  CHECK(binned == 416);
  std::int64_t observed_ms = 0;
  for (const auto& c : db.coverage(all)) observed_ms += c.observed_ms;
  CHECK(observed_ms > 50 * 60 * 1000);  // the hour the trace covers, less its quiet start
  // And every edge in the journal (its last file stays open until the next start).
  CHECK(data_rows(read_file(dir / "journal" / "edges-20251126T120014Z.trace.csv")) ==
        data_rows(read_file(data / "villa-hour.trace.csv")));
  fs::remove_all(dir);
}

TEST_CASE("roadspeedd appends to the vehicles it stored before a restart", "[service]") {
  const fs::path dir = work_dir("restart");
  const fs::path data = ROADSPEED_TEST_DATA;
  write(dir / "d.toml", "site_file = \"" + (data / "sites/villa-street.toml").string() +
                            "\"\ndatabase = \"roadspeed.db\"\nvehicles_file = \"vehicles.csv\"\n[source]\nkind = \"replay\"\ntrace = \"" +
                            (data / "meeting.trace.csv").string() + "\"\npace = \"fast\"\n");
  NotifySocket notify(dir / "notify");
  for (int run = 0; run < 2; ++run) {
    notify.messages.clear();
    Daemon d(dir / "d.toml", dir / "notify", dir / "log");
    REQUIRE(notify.wait_for("READY=1", std::chrono::seconds(10)));
    CHECK(notify.wait_for("WATCHDOG=1", std::chrono::seconds(2)));
    ::kill(d.pid, SIGTERM);
    REQUIRE(d.wait_exit(std::chrono::seconds(2)) == 0);
  }
  const std::string expected = read_file(data / "meeting.vehicles.csv");
  const std::string rows = expected.substr(expected.find('\n') + 1);
  CHECK(read_file(dir / "vehicles.csv") == expected + rows);
  fs::remove_all(dir);
}

TEST_CASE("roadspeedd refuses to start on a bad configuration, naming file and line", "[service]") {
  const fs::path dir = work_dir("bad");
  write(dir / "d.toml", "site_file = \"site.toml\"\ndatabase = \"roadspeed.db\"\n[source]\nkind = \"gps\"\n");
  NotifySocket notify(dir / "notify");
  Daemon d(dir / "d.toml", dir / "notify", dir / "log");
  CHECK(d.wait_exit(std::chrono::seconds(5)) == 1);
  CHECK(read_file(dir / "log") ==
        "<3>" + (dir / "d.toml").string() + ":4: [source] kind must be \"gpio\", \"sim\" or \"replay\", not \"gps\"\n");
  CHECK_FALSE(notify.wait_for("READY=1", std::chrono::milliseconds(100)));
  fs::remove_all(dir);
}

TEST_CASE("roadspeedd logs a stuck loop when it begins and shows it in STATUS", "[service]") {
  const fs::path dir = work_dir("stuck");
  const fs::path data = ROADSPEED_TEST_DATA;
  // loop_a rises and stays; loop_b keeps seeing traffic for 200 s.
  std::string trace = "# roadspeed-trace 1\ntime_ns,input,level\n";
  const std::int64_t t0 = 1764158400000000000;
  trace += std::to_string(t0) + ",loop_a,1\n";
  for (int i = 1; i <= 40; ++i) {
    const std::int64_t t = t0 + i * 5'000'000'000LL;
    trace += std::to_string(t) + ",loop_b,1\n" + std::to_string(t + 400'000'000) + ",loop_b,0\n";
  }
  write(dir / "stuck.trace.csv", trace);
  write(dir / "d.toml", "site_file = \"" + (data / "sites/villa-street.toml").string() +
                            "\"\ndatabase = \"roadspeed.db\"\nvehicles_file = \"vehicles.csv\"\n[source]\nkind = \"replay\"\n"
                            "trace = \"stuck.trace.csv\"\npace = \"fast\"\n");
  NotifySocket notify(dir / "notify");
  Daemon d(dir / "d.toml", dir / "notify", dir / "log");
  REQUIRE(notify.wait_for("READY=1", std::chrono::seconds(10)));
  CHECK(notify.wait_for("faults: loop_a stuck_active", std::chrono::seconds(3)));
  ::kill(d.pid, SIGTERM);
  CHECK(d.wait_exit(std::chrono::seconds(2)) == 0);
  CHECK(read_file(dir / "log").find("<4>roadspeedd: fault: loop_a stuck_active since 2025-11-26T12:00:00.000Z") !=
        std::string::npos);
  fs::remove_all(dir);
}

TEST_CASE("roadspeedd refuses to start when a GPIO chip is missing, naming the input", "[service]") {
  const fs::path dir = work_dir("gpio");
  std::string site = read_file(fs::path(ROADSPEED_TEST_DATA) / "sites/villa-street.toml");
  for (std::size_t at; (at = site.find("gpiochip0")) != std::string::npos;) site.replace(at, 9, "gpiochip77");
  write(dir / "site.toml", site);
  write(dir / "d.toml", "site_file = \"site.toml\"\ndatabase = \"roadspeed.db\"\nvehicles_file = \"v.csv\"\n[source]\nkind = \"gpio\"\n");
  NotifySocket notify(dir / "notify");
  Daemon d(dir / "d.toml", dir / "notify", dir / "log");
  CHECK(d.wait_exit(std::chrono::seconds(5)) == 1);
  CHECK(read_file(dir / "log") ==
        "<3>roadspeedd: input loop_a: cannot open /dev/gpiochip77: No such file or directory\n");
  CHECK_FALSE(notify.wait_for("READY=1", std::chrono::milliseconds(100)));
  fs::remove_all(dir);
}

TEST_CASE("roadspeedd killed with SIGKILL loses nothing it committed and checks the database at restart",
          "[service]") {
  const fs::path dir = work_dir("kill");
  const fs::path data = ROADSPEED_TEST_DATA;
  write(dir / "d.toml", "site_file = \"" + (data / "sites/villa-street.toml").string() +
                            "\"\ndatabase = \"roadspeed.db\"\nretention_days = 36500\n[source]\nkind = \"replay\"\n"
                            "trace = \"" + (data / "villa-hour.trace.csv").string() + "\"\npace = \"fast\"\n");
  NotifySocket notify(dir / "notify");
  roadspeed::store::Selection all{"villa-street-01", std::nullopt, std::nullopt, 0,
                                  std::numeric_limits<std::int64_t>::max()};
  {
    Daemon d(dir / "d.toml", dir / "notify", dir / "log");
    REQUIRE(notify.wait_for("READY=1", std::chrono::seconds(10)));
    // The replay is detected at once; the next commit, within a second, stores it.
    std::this_thread::sleep_for(std::chrono::milliseconds(2500));
    ::kill(d.pid, SIGKILL);
    CHECK(d.wait_exit(std::chrono::seconds(2)) == 128 + SIGKILL);
  }
  {
    roadspeed::store::StoreReader db(dir / "roadspeed.db");
    CHECK(db.vehicles(all).size() == 416);
  }
  notify.messages.clear();
  Daemon again(dir / "d.toml", dir / "notify", dir / "log2");
  REQUIRE(notify.wait_for("READY=1", std::chrono::seconds(10)));
  const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (read_file(dir / "log2").find("passed quick_check after an unclean stop") == std::string::npos &&
         std::chrono::steady_clock::now() < end)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  CHECK(read_file(dir / "log2").find("passed quick_check after an unclean stop") != std::string::npos);
  ::kill(again.pid, SIGTERM);
  CHECK(again.wait_exit(std::chrono::seconds(2)) == 0);
  fs::remove_all(dir);
}

namespace {

// Runs `roadspeed ARGS`; its stdout.
std::string run_roadspeed(const std::string& args) {
  std::string out;
  if (FILE* p = ::popen((std::string(ROADSPEED) + " " + args + " 2>/dev/null").c_str(), "r")) {
    char buf[4096];
    for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, p)) > 0;) out.append(buf, n);
    ::pclose(p);
  }
  return out;
}

std::size_t count_lines_starting(const std::string& text, const std::string& prefix) {
  std::size_t n = 0;
  for (std::size_t at = 0; at < text.size(); at = text.find('\n', at) + 1) {
    if (text.compare(at, prefix.size(), prefix) == 0) ++n;
    if (text.find('\n', at) == std::string::npos) break;
  }
  return n;
}

}  // namespace

TEST_CASE("roadspeed monitor follows the running daemon's edges and vehicles", "[service]") {
  const fs::path dir = work_dir("monitor-feed");
  const fs::path data = ROADSPEED_TEST_DATA;
  // A car every second for two minutes, at the pace it was recorded.
  std::string trace = "# roadspeed-trace 1\ntime_ns,input,level\n";
  const std::int64_t t0 = 1764158400000000000;
  for (int i = 0; i < 120; ++i) {
    const std::int64_t t = t0 + i * 1'000'000'000LL;
    trace += std::to_string(t) + ",loop_a,1\n" + std::to_string(t + 216'000'000) + ",loop_b,1\n" +
             std::to_string(t + 396'000'000) + ",loop_a,0\n" + std::to_string(t + 612'000'000) + ",loop_b,0\n";
  }
  // Edges must not go back in time: the passes overlap, so sort them.
  std::vector<std::string> rows;
  std::istringstream in(trace.substr(trace.find("time_ns,input,level\n") + 20));
  for (std::string line; std::getline(in, line);) rows.push_back(line);
  std::sort(rows.begin(), rows.end());
  trace = "# roadspeed-trace 1\ntime_ns,input,level\n";
  for (const auto& r : rows) trace += r + "\n";
  write(dir / "dense.trace.csv", trace);
  write(dir / "d.toml", "site_file = \"" + (data / "sites/villa-street.toml").string() +
                            "\"\ndatabase = \"roadspeed.db\"\nmonitor_socket = \"monitor.sock\"\n[source]\n"
                            "kind = \"replay\"\ntrace = \"dense.trace.csv\"\npace = \"recorded\"\n");
  NotifySocket notify(dir / "notify");
  Daemon d(dir / "d.toml", dir / "notify", dir / "log");
  REQUIRE(notify.wait_for("READY=1", std::chrono::seconds(10)));
  // Detection decides a pass once no slower partner can come (3 km/h over the
  // trap: about 4 s later), and on a two-way trap releases it one more
  // slowest transit later, in time order: about 8 s. Watch that long. Meanwhile
  // the notify socket is read, as systemd does: a full one would block the
  // daemon's sd_notify.
  auto monitored = std::async(std::launch::async, [&] {
    return run_roadspeed("monitor --config " + (dir / "d.toml").string() + " --seconds 8");
  });
  while (monitored.wait_for(std::chrono::milliseconds(0)) != std::future_status::ready)
    notify.wait_for("(drain)", std::chrono::milliseconds(100));
  const std::string out = monitored.get();
  CHECK(count_lines_starting(out, "edge ") >= 8);
  CHECK(count_lines_starting(out, "vehicle ") >= 1);
  ::kill(d.pid, SIGTERM);
  CHECK(d.wait_exit(std::chrono::seconds(2)) == 0);
  fs::remove_all(dir);
}

TEST_CASE("roadspeed monitor reads the inputs itself when the daemon is not running", "[service]") {
  const fs::path dir = work_dir("monitor-direct");
  const fs::path data = ROADSPEED_TEST_DATA;
  write(dir / "d.toml", "site_file = \"" + (data / "sites/villa-street.toml").string() +
                            "\"\ndatabase = \"roadspeed.db\"\nmonitor_socket = \"monitor.sock\"\n[source]\n"
                            "kind = \"replay\"\ntrace = \"" + (data / "villa-hour.trace.csv").string() +
                            "\"\npace = \"fast\"\n");
  const std::string out = run_roadspeed("monitor --config " + (dir / "d.toml").string());
  CHECK(count_lines_starting(out, "edge ") == 1760);
  // The vehicles are those analyze finds, row for row.
  std::string rows;
  std::istringstream lines(out);
  for (std::string line; std::getline(lines, line);)
    if (line.rfind("vehicle ", 0) == 0) rows += line.substr(8) + "\n";
  const std::string expected = read_file(data / "villa-hour.vehicles.csv");
  CHECK(rows == expected.substr(expected.find('\n') + 1));
  fs::remove_all(dir);
}

TEST_CASE("roadspeedd replaying at recorded pace decides as analyze does and logs how late vehicles came", "[service]") {
  const fs::path dir = work_dir("latency");
  const fs::path data = ROADSPEED_TEST_DATA;
  // Radar followers, 9 s of edges played in real time: every vehicle is
  // decided by the daemon's timers, not by the end of the input.
  write(dir / "d.toml", "site_file = \"" + (data / "sites/radar-roadside.toml").string() +
                            "\"\ndatabase = \"roadspeed.db\"\nretention_days = 36500\n"
                            "vehicles_file = \"vehicles.csv\"\n[source]\nkind = \"replay\"\n"
                            "trace = \"" + (data / "radar-follower.trace.csv").string() + "\"\npace = \"recorded\"\n");
  NotifySocket notify(dir / "notify");
  Daemon d(dir / "d.toml", dir / "notify", dir / "log");
  REQUIRE(notify.wait_for("READY=1", std::chrono::seconds(10)));
  const std::string expected = read_file(data / "radar-follower.vehicles.csv");
  auto rows_in = [](const std::string& csv) {
    const std::string rows = data_rows(csv);
    return static_cast<std::size_t>(std::count(rows.begin(), rows.end(), '\n'));
  };
  const std::size_t rows = rows_in(expected);
  const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (std::chrono::steady_clock::now() < end && rows_in(read_file(dir / "vehicles.csv")) < rows)
    notify.wait_for("(keeps the notify queue drained)", std::chrono::milliseconds(50));
  ::kill(d.pid, SIGTERM);
  CHECK(d.wait_exit(std::chrono::seconds(2)) == 0);
  CHECK(read_file(dir / "vehicles.csv") == expected);
  const std::string log = read_file(dir / "log");
  const auto at = log.find("latency from a vehicle's last edge: to detection p50 ");
  REQUIRE(at != std::string::npos);
  CHECK(log.find("(n " + std::to_string(rows) + ")", at) != std::string::npos);
  CHECK(log.find("; to its committed row p50 ", at) != std::string::npos);
  fs::remove_all(dir);
}
