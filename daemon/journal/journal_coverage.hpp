// What the raw edge journal holds for a stretch of time: which files, which
// spans it watched without a break, where it does not (deleted by its age
// or size limits, the daemon down, a file cut by a power failure, a clock
// step), and the file the running daemon is still writing. This is what
// `roadspeed reanalyze` checks before it replaces anything.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <vector>

#include "daemon/detect/radar_pass.hpp"
#include "daemon/journal/journal_files.hpp"
#include "daemon/site/site.hpp"
#include "drivers/edge.hpp"

namespace roadspeed {

// [start_ns, end_ns), epoch ns.
struct TimeSpan {
  std::int64_t start_ns = 0;
  std::int64_t end_ns = 0;
  friend bool operator==(const TimeSpan&, const TimeSpan&) = default;
};

// One closed journal file, as far as coverage goes. (Of a pass file: its
// rows' times, when the passes closed, stand for the edges'.)
struct JournalSegment {
  std::filesystem::path path;
  std::int64_t first_edge_ns = 0;
  std::int64_t last_edge_ns = 0;
  // Watched through: the end mark, or the last edge when a power failure
  // cut the file (what came after it is lost).
  std::int64_t end_ns = 0;
  bool end_marked = false;
};

struct JournalIndex {
  std::vector<JournalSegment> segments;  // in time order: those that may hold edges of the window
  std::vector<TimeSpan> covered;         // the segments' spans, merged where one file takes over from the last
  // A plain file without an end mark: roadspeedd is writing it (or a power
  // cut left it, until roadspeedd's next start closes it). Not read.
  std::optional<JournalFile> open_file;
};

// Reads the files that may hold edges in `window` (all of each such file,
// so that a malformed one is an error, "FILE:LINE: message"). Throws
// InputError for a malformed file and std::runtime_error for files that
// overlap in time (a clock stepped back) or a folder that cannot be read.
JournalIndex index_journal(const std::filesystem::path& dir, const Site& site, TimeSpan window);
// The same for the radar pass files (pass_record.hpp).
JournalIndex index_pass_journal(const std::filesystem::path& dir, const Site& site, TimeSpan window);

// The parts of `period` that `covered` (sorted, not overlapping) leaves out.
std::vector<TimeSpan> uncovered(const std::vector<TimeSpan>& covered, TimeSpan period);

// Calls `f` with the segment's edges that lie in `window`, in time order.
void for_each_edge(const JournalSegment& segment, const Site& site, TimeSpan window,
                   const std::function<void(const Edge&)>& f);
// Calls `f` with the pass file's passes that closed in `window`, in the order they closed.
void for_each_pass(const JournalSegment& segment, const Site& site, TimeSpan window,
                   const std::function<void(RadarPass&&)>& f);

}  // namespace roadspeed
