// A recorded trace (or gpiomon log) played into the live daemon, at the pace
// it was recorded or as fast as the daemon takes it.
#pragma once

#include <boost/asio/io_context.hpp>
#include <filesystem>
#include <memory>

#include "daemon/site/site.hpp"
#include "drivers/edge_source.hpp"
#include "drivers/paced/paced_edge_source.hpp"
#include "drivers/trace/trace_reader.hpp"

namespace roadspeed {

// Opens the file and checks its header now: a missing or malformed file is
// a start-up error (InputError, "FILE:LINE: message"). A bad line met later
// ends the replay with that message. `site` must outlive the source.
std::unique_ptr<EdgeSource> make_replay_source(boost::asio::io_context& io, const Site& site,
                                               const std::filesystem::path& trace, Pace pace,
                                               GpiomonOptions gpiomon = {});

}  // namespace roadspeed
