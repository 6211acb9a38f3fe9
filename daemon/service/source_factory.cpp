#include "daemon/service/source_factory.hpp"

#include <stdexcept>
#include <utility>

#include "drivers/gpio/gpio_live_source.hpp"
#include "drivers/replay/replay_source.hpp"
#include "drivers/sim/live_sim_source.hpp"
#include "drivers/sim/scenario.hpp"
#include "drivers/utc_time.hpp"

namespace roadspeed {

std::unique_ptr<EdgeSource> make_edge_source(boost::asio::io_context& io, const SourceConfig& s, const Site& site,
                                             std::function<void(const std::string&)> log_error) {
  switch (s.kind) {
    case SourceKind::replay:
      return make_replay_source(io, site, s.trace, s.pace);
    case SourceKind::gpio:
      return std::make_unique<GpioLiveSource>(io, site, s.backend, std::move(log_error));
    case SourceKind::sim:
      return make_live_sim_source(io, site, s.scenario ? load_scenario(*s.scenario) : Scenario{}, s.seed,
                                  wall_now_ns());
  }
  throw std::logic_error("unknown source kind");
}

}  // namespace roadspeed
