// The traffic simulator as a live source: simulated sensors in real time,
// so the daemon (and ./scripts/demo) runs on any machine.
#pragma once

#include <boost/asio/io_context.hpp>
#include <cstdint>
#include <memory>

#include "daemon/site/site.hpp"
#include "drivers/edge_source.hpp"
#include "drivers/sim/scenario.hpp"

namespace roadspeed {

// Traffic on every trap of `site` from `start_epoch_ns` (the wall-clock time
// now, normally) on, released as the steady clock reaches it. `site` must
// outlive the source.
std::unique_ptr<EdgeSource> make_live_sim_source(boost::asio::io_context& io, const Site& site, Scenario scenario,
                                                 std::uint64_t seed, std::int64_t start_epoch_ns);

}  // namespace roadspeed
