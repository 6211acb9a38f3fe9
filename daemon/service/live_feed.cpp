#include "daemon/service/live_feed.hpp"

#include <algorithm>
#include <boost/asio/write.hpp>
#include <system_error>

#include "daemon/detect/vehicle_csv.hpp"
#include "daemon/service/log.hpp"
#include "drivers/utc_time.hpp"

namespace roadspeed {

std::string edge_line(const Site& site, const Edge& e) {
  const std::string& name = e.input < site.inputs.size() ? site.inputs[e.input].name : std::string("?");
  return "edge " + format_utc(e.t_ns) + " " + name + " " + (e.level ? "1" : "0");
}

std::string vehicle_line(const Site& site, const Vehicle& v) {
  std::string line = "vehicle ";
  append_vehicle_row(line, site, v);
  return line;
}

LiveFeed::LiveFeed(boost::asio::io_context& io, const std::filesystem::path& socket_path)
    : io_(io), path_(socket_path), acceptor_(io) {
  std::error_code ec;
  std::filesystem::remove(path_, ec);  // a socket left by a killed run
  const boost::asio::local::stream_protocol::endpoint endpoint(path_.string());
  acceptor_.open(endpoint.protocol());
  acceptor_.bind(endpoint);
  acceptor_.listen();
  accept();
}

LiveFeed::~LiveFeed() {
  boost::system::error_code ignored;
  acceptor_.close(ignored);
  for (auto& c : clients_) c->socket.close(ignored);
  std::error_code ec;
  std::filesystem::remove(path_, ec);
}

void LiveFeed::accept() {
  auto client = std::make_shared<Client>(io_);
  acceptor_.async_accept(client->socket, [this, client](const boost::system::error_code& ec) {
    if (ec == boost::asio::error::operation_aborted) return;
    if (!ec) clients_.push_back(client);
    accept();
  });
}

void LiveFeed::publish(const std::string& line) {
  for (auto& c : std::vector(clients_)) {
    if (c->queued_bytes + line.size() + 1 > max_queued_bytes) {
      ++c->lost_lines;
      continue;
    }
    if (c->lost_lines) {
      c->queue.push_back("lost " + std::to_string(c->lost_lines) + " lines: the monitor did not keep up\n");
      c->lost_lines = 0;
    }
    c->queue.push_back(line + '\n');
    c->queued_bytes += line.size() + 1;
    if (!c->writing) write_next(c);
  }
}

void LiveFeed::write_next(const std::shared_ptr<Client>& c) {
  if (c->queue.empty()) {
    c->writing = false;
    return;
  }
  c->writing = true;
  boost::asio::async_write(c->socket, boost::asio::buffer(c->queue.front()),
                           [this, c](const boost::system::error_code& ec, std::size_t) {
                             if (ec == boost::asio::error::operation_aborted) return;  // shutting down
                             if (ec) return drop(c);  // the monitor went away
                             c->queued_bytes -= c->queue.front().size();
                             c->queue.pop_front();
                             write_next(c);
                           });
}

void LiveFeed::drop(const std::shared_ptr<Client>& c) {
  std::erase(clients_, c);
  boost::system::error_code ignored;
  c->socket.close(ignored);
}

}  // namespace roadspeed
