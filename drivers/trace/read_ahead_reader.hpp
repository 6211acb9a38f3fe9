// An EdgeReader that parses ahead on its own thread, in batches, so that
// reading and parsing a long trace overlaps with detection. Edges, their
// order and the errors (rethrown at the edge where they occurred) are
// exactly those of the wrapped reader.
#pragma once

#include <memory>

#include "drivers/trace/trace_reader.hpp"

namespace roadspeed {

// `source` must outlive the returned reader, as must whatever it reads from.
std::unique_ptr<EdgeReader> make_read_ahead_reader(std::unique_ptr<EdgeReader> source);

}  // namespace roadspeed
