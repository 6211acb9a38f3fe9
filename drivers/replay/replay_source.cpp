#include "drivers/replay/replay_source.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <string>
#include <utility>

namespace roadspeed {

std::unique_ptr<EdgeSource> make_replay_source(boost::asio::io_context& io, const Site& site,
                                               const std::filesystem::path& trace, Pace pace,
                                               GpiomonOptions gpiomon) {
  // The reader keeps a reference to its stream: both travel together.
  struct OpenTrace {
    std::ifstream in;
    std::unique_ptr<EdgeReader> reader;
  };
  auto open = std::make_shared<OpenTrace>();
  open->in.open(trace, std::ios::binary);
  if (!open->in) throw InputError(trace.string() + ": cannot open: " + std::strerror(errno));
  open->reader = make_edge_reader(open->in, trace.string(), site, std::move(gpiomon));

  auto producer = [open](const std::function<void(const Edge&)>& emit) {
    while (auto e = open->reader->next()) emit(*e);
  };
  return std::make_unique<PacedEdgeSource>(io, std::move(producer), pace, "replay of " + trace.string());
}

}  // namespace roadspeed
