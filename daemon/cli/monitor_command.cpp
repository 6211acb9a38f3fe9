// roadspeed monitor: for the technician commissioning a site, every edge of
// every input and the vehicles decoded from them, live on the terminal.
// With roadspeedd running it reads the daemon's live feed (the lines stay
// the daemon's); without it, it opens the configured source itself.
#include <boost/asio/io_context.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/streambuf.hpp>
#include <chrono>
#include <csignal>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "daemon/cli/commands.hpp"
#include "daemon/detect/vehicle_detector.hpp"
#include "daemon/service/daemon_config.hpp"
#include "daemon/service/live_feed.hpp"
#include "daemon/service/source_factory.hpp"

namespace roadspeed::cli {
namespace {

namespace asio = boost::asio;

struct MonitorOptions {
  std::string config;
  std::optional<double> seconds;
};

// Ends the io_context after --seconds, or on SIGINT/SIGTERM.
struct StopWhen {
  asio::signal_set signals;
  asio::steady_timer timer;
  StopWhen(asio::io_context& io, const std::optional<double>& seconds) : signals(io, SIGINT, SIGTERM), timer(io) {
    signals.async_wait([&io](const boost::system::error_code& ec, int) {
      if (!ec) io.stop();
    });
    if (seconds) {
      timer.expires_after(std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::duration<double>(*seconds)));
      timer.async_wait([&io](const boost::system::error_code& ec) {
        if (!ec) io.stop();
      });
    }
  }
};

// The daemon's feed, copied to stdout line by line.
void follow_feed(asio::io_context& io, asio::local::stream_protocol::socket& socket, asio::streambuf& buf) {
  asio::async_read_until(socket, buf, '\n', [&](const boost::system::error_code& ec, std::size_t n) {
    if (ec) {
      std::cerr << "roadspeed monitor: the daemon's feed ended\n";
      io.stop();
      return;
    }
    std::cout.write(static_cast<const char*>(buf.data().data()), static_cast<std::streamsize>(n)) << std::flush;
    buf.consume(n);
    follow_feed(io, socket, buf);
  });
}

int monitor_feed(asio::io_context& io, asio::local::stream_protocol::socket& socket, const MonitorOptions& o) {
  StopWhen stop(io, o.seconds);
  asio::streambuf buf;
  follow_feed(io, socket, buf);
  io.run();
  return 0;
}

// No daemon: the inputs themselves, through the same detection.
int monitor_direct(asio::io_context& io, const DaemonConfig& config, const MonitorOptions& o) {
  const Site site = load_site_file(config.site_file);
  VehicleDetector detector(site, VehicleDetector::Mode::live);
  std::vector<Vehicle> out;
  auto print_vehicles = [&] {
    for (const Vehicle& v : out) std::cout << vehicle_line(site, v) << '\n';
    out.clear();
    std::cout << std::flush;
  };
  auto source = make_edge_source(io, config.source, site,
                                 [](const std::string& m) { std::cerr << "roadspeed monitor: " << m << '\n'; });
  StopWhen stop(io, o.seconds);
  asio::steady_timer tick(io);
  std::function<void()> advance = [&] {
    tick.expires_after(std::chrono::milliseconds(200));
    tick.async_wait([&](const boost::system::error_code& ec) {
      if (ec) return;
      detector.advance_to(source->delivered_through_ns(), out);
      print_vehicles();
      advance();
    });
  };
  source->start({[&](std::span<const Edge> edges) {
                   for (const Edge& e : edges) {
                     std::cout << edge_line(site, e) << '\n';
                     detector.push(e, out);
                   }
                   print_vehicles();
                 },
                 [&](const std::string& error) {
                   if (!error.empty()) std::cerr << "roadspeed monitor: " << error << '\n';
                   detector.finish(out);
                   print_vehicles();
                   io.stop();
                 }});
  advance();
  io.run();
  source->stop();
  return 0;
}

int monitor(const MonitorOptions& o) {
  const DaemonConfig config = load_daemon_config(o.config);
  asio::io_context io;
  asio::local::stream_protocol::socket socket(io);
  boost::system::error_code ec;
  socket.connect(asio::local::stream_protocol::endpoint(config.monitor_socket.string()), ec);
  if (!ec) {
    std::cerr << "roadspeed monitor: following roadspeedd's live feed at " << config.monitor_socket.string() << '\n';
    return monitor_feed(io, socket, o);
  }
  std::cerr << "roadspeed monitor: roadspeedd is not running (" << config.monitor_socket.string() << ": "
            << ec.message() << "); reading the inputs directly\n";
  return monitor_direct(io, config, o);
}

}  // namespace

Action add_monitor_command(CLI::App& app) {
  auto o = std::make_shared<MonitorOptions>();
  CLI::App* cmd = app.add_subcommand("monitor", "Show live edges and vehicles of a site, for commissioning");
  cmd->add_option("--config", o->config, "The daemon's configuration file")->required();
  cmd->add_option("--seconds", o->seconds, "Stop after this many seconds (default: until Ctrl-C)")
      ->check(CLI::PositiveNumber);
  return [o] { return monitor(*o); };
}

}  // namespace roadspeed::cli
