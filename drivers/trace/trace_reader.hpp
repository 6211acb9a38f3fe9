// Reads recorded edges: the roadspeed trace format (spec/interfaces.md §1)
// and libgpiod gpiomon logs (1.6 and 2.x default formats). Streaming: memory
// stays flat however long the file is.
#pragma once

#include <cstdint>
#include <istream>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "daemon/site/site.hpp"
#include "drivers/edge.hpp"

namespace roadspeed {

struct GpiomonOptions {
  // gpiomon stamps edges on the monotonic clock: the wall-clock time (epoch ns)
  // that its first event maps to. Required to read a gpiomon log.
  std::optional<std::int64_t> first_event_epoch_ns;
  // The chip for log lines that do not name one (libgpiod 1.6), e.g. "gpiochip0".
  std::optional<std::string> chip;
};

class EdgeReader {
 public:
  virtual ~EdgeReader() = default;
  // The next edge, or nullopt at the end of the input. Edges come in
  // non-decreasing time order. Throws InputError ("FILE:LINE: message").
  virtual std::optional<Edge> next() = 0;
  // The next edges into `out`: at least one unless the input has ended (0),
  // more where a reader holds them in bulk, saving a call per edge. An
  // error comes only after the edges before it.
  virtual std::size_t read(std::span<Edge> out) {
    if (out.empty()) return 0;
    const auto e = next();
    if (!e) return 0;
    out[0] = *e;
    return 1;
  }
  // The next edges, as many as the reader has at hand, held by the reader
  // until the next call; empty once the input has ended. A reader that
  // keeps edges in bulk lends them without a copy.
  virtual std::span<const Edge> read_batch() {
    batch_.resize(default_batch);  // constructs only on the first call
    return std::span<const Edge>(batch_).first(read(batch_));
  }

 private:
  static constexpr std::size_t default_batch = 4096;
  std::vector<Edge> batch_;
};

// The readers keep references to `in` and `site`: both must outlive them.
// Header lines are checked at construction, so a bad header throws here.

// Reads a roadspeed trace: header line, comments, `time_ns,input,level` rows.
std::unique_ptr<EdgeReader> make_trace_reader(std::istream& in, std::string source_name,
                                              const Site& site);

// Reads a gpiomon log, mapping chip/line offsets to inputs through the site.
std::unique_ptr<EdgeReader> make_gpiomon_reader(std::istream& in, std::string source_name,
                                                const Site& site, GpiomonOptions options);

// Picks the format from the first line of the stream: `# roadspeed-trace ...`
// or a gpiomon event line. Throws InputError when it is neither.
std::unique_ptr<EdgeReader> make_edge_reader(std::istream& in, std::string source_name,
                                             const Site& site, GpiomonOptions options = {});

}  // namespace roadspeed
