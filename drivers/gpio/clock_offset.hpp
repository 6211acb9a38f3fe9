// The offset from the kernel's edge clock (CLOCK_MONOTONIC) to wall time.
#pragma once

#include <cstdint>

namespace roadspeed {

// CLOCK_REALTIME - CLOCK_MONOTONIC in ns, read between two monotonic reads
// (best of a few tries), so it is good to a few microseconds. Held constant
// for one trace file: a later clock step does not bend recorded intervals.
std::int64_t mono_to_wall_offset_ns();

}  // namespace roadspeed
