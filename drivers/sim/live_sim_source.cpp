#include "drivers/sim/live_sim_source.hpp"

#include <utility>

#include "drivers/paced/paced_edge_source.hpp"
#include "drivers/sim/simulator.hpp"

namespace roadspeed {

// A live simulation runs until the daemon stops: the longest the simulator allows.
constexpr double live_hours = 1e6;

std::unique_ptr<EdgeSource> make_live_sim_source(boost::asio::io_context& io, const Site& site, Scenario scenario,
                                                 std::uint64_t seed, std::int64_t start_epoch_ns) {
  SimOptions options;
  options.hours = live_hours;
  options.seed = seed;
  options.start_epoch_ns = start_epoch_ns;
  options.scenario = std::move(scenario);
  auto producer = [&site, options](const std::function<void(const Edge&)>& emit) {
    simulate(site, options, emit, [](const TruthVehicle&) {});
  };
  return std::make_unique<PacedEdgeSource>(io, std::move(producer), Pace::recorded, "sim", start_epoch_ns);
}

}  // namespace roadspeed
