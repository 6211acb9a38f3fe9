// Writes edges in the roadspeed trace format (spec/interfaces.md §1).
#pragma once

#include <cstdint>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "daemon/site/site.hpp"
#include "drivers/edge.hpp"

namespace roadspeed {

class TraceWriter {
 public:
  // Writes the version line, then each of `header_comments` (one per line,
  // without the leading "# "), then the column line. `out` and `site` must
  // outlive the writer. Throws std::invalid_argument for a comment that
  // contains a line break.
  TraceWriter(std::ostream& out, const Site& site,
              const std::vector<std::string>& header_comments = {});
  // Flushes; errors are the stream's state, as after flush().
  ~TraceWriter();
  TraceWriter(const TraceWriter&) = delete;
  TraceWriter& operator=(const TraceWriter&) = delete;

  // Rows are buffered. Throws std::invalid_argument for an edge that the
  // reader would reject (unknown input, level not 0/1, negative time, time
  // going backwards), so a trace written here always reads back.
  void write(const Edge& e);
  // A comment line after the rows so far (without the leading "# "). Throws
  // std::invalid_argument for one that contains a line break.
  void comment(std::string_view text);
  // Hands the buffered rows to the stream and flushes it.
  void flush();

 private:
  static constexpr std::size_t kBufferBytes = std::size_t{1} << 16;
  void append(std::string_view text);

  std::ostream& out_;
  const Site& site_;
  std::unique_ptr<char[]> buf_;  // kBufferBytes, never zeroed: only used_ bytes count
  std::size_t used_ = 0;
  std::int64_t last_t_ns_ = 0;
};

}  // namespace roadspeed
