#include "daemon/cli/trace_input.hpp"

#include <cerrno>
#include <cstring>
#include <iostream>

#include "drivers/trace/read_ahead_reader.hpp"

namespace roadspeed::cli {

void add_trace_input_options(CLI::App& cmd, TraceInputOptions& o) {
  cmd.add_option("--site", o.site, "Site file (TOML)")->required();
  cmd.add_option("--trace", o.trace, "Edge trace (.trace.csv) or gpiomon log")->required();
  cmd.add_option("--first-event-epoch-ns", o.first_event_epoch_ns,
                 "gpiomon logs: wall-clock time (epoch ns) of the first event");
  cmd.add_option("--chip", o.chip, "gpiomon 1.6 logs: the chip the log was taken on");
}

TraceInput::TraceInput(const TraceInputOptions& o)
    : site_(std::make_unique<const Site>(load_site_file(o.site))), in_(o.trace, std::ios::binary) {
  if (!in_) throw InputError(o.trace + ": cannot open: " + std::strerror(errno));
  // Parsing runs ahead on a second core while detection works.
  reader_ = make_read_ahead_reader(
      make_edge_reader(in_, o.trace, *site_, GpiomonOptions{o.first_event_epoch_ns, o.chip}));
}

}  // namespace roadspeed::cli
