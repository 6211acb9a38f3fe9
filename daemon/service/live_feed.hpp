// What the daemon sees, as text lines on a Unix stream socket, for
// `roadspeed monitor`: every edge and every vehicle as it happens. A client
// that cannot keep up loses lines (and is told how many), it never slows
// the event loop; without clients publishing costs nothing.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "daemon/detect/vehicle.hpp"
#include "daemon/site/site.hpp"
#include "drivers/edge.hpp"

namespace roadspeed {

// "edge 2025-11-26T12:00:14.158Z loop_b 1"
std::string edge_line(const Site& site, const Edge& e);
// "vehicle " and the per-vehicle CSV row (spec/interfaces.md §3)
std::string vehicle_line(const Site& site, const Vehicle& v);

class LiveFeed {
 public:
  static constexpr std::size_t max_queued_bytes = 1 << 20;  // per client

  // Listens at `socket_path` (a stale socket file there is replaced).
  // Throws boost::system::system_error when it cannot.
  LiveFeed(boost::asio::io_context& io, const std::filesystem::path& socket_path);
  ~LiveFeed();
  LiveFeed(const LiveFeed&) = delete;
  LiveFeed& operator=(const LiveFeed&) = delete;

  bool has_clients() const { return !clients_.empty(); }
  // One line, without its end.
  void publish(const std::string& line);

 private:
  struct Client {
    explicit Client(boost::asio::io_context& io) : socket(io) {}
    boost::asio::local::stream_protocol::socket socket;
    std::deque<std::string> queue;
    std::size_t queued_bytes = 0;
    std::uint64_t lost_lines = 0;
    bool writing = false;
  };
  void accept();
  void write_next(const std::shared_ptr<Client>& c);
  void drop(const std::shared_ptr<Client>& c);

  boost::asio::io_context& io_;
  std::filesystem::path path_;
  boost::asio::local::stream_protocol::acceptor acceptor_;
  std::vector<std::shared_ptr<Client>> clients_;
};

}  // namespace roadspeed
