// What the commands that read a recorded trace share: the options naming
// the site file and the trace, and opening them into a stream of edges.
#pragma once

#include <cstdint>
#include <fstream>
#include <memory>
#include <optional>
#include <string>

#include <CLI/CLI.hpp>

#include "daemon/site/site.hpp"
#include "drivers/trace/trace_reader.hpp"

namespace roadspeed::cli {

struct TraceInputOptions {
  std::string site;
  std::string trace;
  std::optional<std::int64_t> first_event_epoch_ns;
  std::optional<std::string> chip;
};

// --site, --trace (both required), --first-event-epoch-ns and --chip.
void add_trace_input_options(CLI::App& cmd, TraceInputOptions& o);

// The site and a reader of the trace's edges (parsing ahead on a second
// core).
class TraceInput {
 public:
  explicit TraceInput(const TraceInputOptions& o);
  TraceInput(const TraceInput&) = delete;
  TraceInput& operator=(const TraceInput&) = delete;

  const Site& site() const { return *site_; }
  EdgeReader& reader() { return *reader_; }

 private:
  std::unique_ptr<const Site> site_;  // on the heap: the reader keeps a reference
  std::ifstream in_;
  std::unique_ptr<EdgeReader> reader_;
};

}  // namespace roadspeed::cli
