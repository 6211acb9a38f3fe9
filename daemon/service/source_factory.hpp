// The daemon's edge sources, one table: the configuration's [source] kind
// -> the driver that reads it. Shared by roadspeedd and roadspeed monitor.
#pragma once

#include <boost/asio/io_context.hpp>
#include <functional>
#include <memory>
#include <string>

#include "daemon/service/daemon_config.hpp"
#include "daemon/site/site.hpp"
#include "drivers/edge_source.hpp"

namespace roadspeed {

// Opens the source: start-up errors throw (InputError, GpioError). `site`
// must outlive the source; `log_error` gets run-time errors it survived.
std::unique_ptr<EdgeSource> make_edge_source(boost::asio::io_context& io, const SourceConfig& source,
                                             const Site& site,
                                             std::function<void(const std::string&)> log_error);

}  // namespace roadspeed
