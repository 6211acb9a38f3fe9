// The clock of the kernel's edge timestamps (CLOCK_MONOTONIC), and its
// offset to wall time.
#pragma once

#include <cstdint>

namespace roadspeed {

// CLOCK_MONOTONIC now, in ns: the clock the kernel stamps GPIO edges with.
std::int64_t mono_now_ns();

// CLOCK_REALTIME - CLOCK_MONOTONIC in ns, read between two monotonic reads
// (best of a few tries), so it is good to a few microseconds. Held constant
// for one trace file: a later clock step does not bend recorded intervals.
std::int64_t mono_to_wall_offset_ns();

}  // namespace roadspeed
