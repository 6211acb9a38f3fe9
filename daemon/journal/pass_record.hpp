// The radar pass journal's rows (docs/daemon.md, "Radar pass records"): one
// line per pass, so a file cut by a power failure, cut back to its last
// whole line, holds whole passes only.
//
//   # roadspeed-passes 1
//   # site: radar-street-04
//   time_ns,radar,first_ns,blocks
//   1764158401234567890,r1,1764158400012345678,0:7212345:2218.0123:16 0:7199999:2219.5:15 ...
//
// time_ns: when detection closed the pass (non-decreasing in a file);
// radar: the site file's radar id; first_ns: the first block's first rising
// edge; blocks: the pass's strong Doppler blocks, space-separated, each
// gap_ns:span_ns:f_hz:vote (its first edge after the previous block's last,
// or after first_ns; its last edge after its first; its frequency, the
// shortest text that reads back to the same double; its I/Q vote).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "daemon/detect/radar_pass.hpp"
#include "daemon/site/site.hpp"

namespace roadspeed {

inline constexpr std::string_view pass_journal_version_line = "# roadspeed-passes 1";
inline constexpr std::string_view pass_journal_columns = "time_ns,radar,first_ns,blocks";

// Appends the pass's row (with its newline) to `out`.
void append_pass_row(std::string& out, std::int64_t time_ns, std::string_view radar_id, const RadarSegment& s);

// Calls `f` with every row of a pass journal file's `text` (its detector
// index from `site`). Throws InputError "NAME:LINE: message" for a
// malformed file or a radar the site file does not have.
void read_pass_rows(std::string_view text, const std::string& name, const Site& site,
                    const std::function<void(RadarPass&&)>& f);

}  // namespace roadspeed
