// Private to drivers/trace: the line splitter shared by the trace and gpiomon
// readers. It reads the stream in large chunks and hands out views into its
// buffer, because a replay of ten million edges must cost about what `wc -l`
// costs: no std::getline, no allocation per line. (Mapping the file instead
// of reading it was measured slower: docs/benchmarks.md.)
#pragma once

#include <cstddef>
#include <cstdint>
#include <istream>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "drivers/trace/trace_reader.hpp"

namespace roadspeed::trace_detail {

inline constexpr std::size_t kDefaultChunkBytes = std::size_t{1} << 20;
inline constexpr std::size_t kFirstReadBytes = std::size_t{1} << 12;
// No valid line comes near this; the cap keeps a corrupt file (one giant
// "line") from taking all memory.
inline constexpr std::size_t kMaxLineBytes = std::size_t{1} << 16;

class LineSource {
 public:
  // Reads at most `chunk_bytes` at a time (configurable so that tests can
  // split lines anywhere).
  LineSource(std::istream& in, std::string source_name,
             std::size_t chunk_bytes = kDefaultChunkBytes);

  // The first line, not consumed (format detection). Only before next().
  std::string_view peek_first_line();
  // The next line without its "\n" or "\r\n", or nullopt at the end of the
  // input. The view is valid until the next call.
  std::optional<std::string_view> next();

  // Direct access for a parser's fast path: the unread bytes in the buffer;
  // consume_line(p) takes one line, ending just before `p`, as read. A line
  // not wholly in the buffer is next()'s job.
  const char* data() const { return buf_.get() + pos_; }
  const char* data_end() const { return buf_.get() + end_; }
  void consume_line(const char* after) { consume_lines(after, 1); }
  void consume_lines(const char* after, std::size_t count) {
    pos_ = static_cast<std::size_t>(after - buf_.get());
    line_ += count;
  }

  // Number of the last line taken, by next() or consume_line() (1-based).
  std::uint64_t line_number() const { return line_; }
  const std::string& source_name() const { return name_; }
  // Throw InputError "FILE:LINE: message" for the current line, or for `line`.
  [[noreturn]] void fail(std::string_view message) const;
  [[noreturn]] void fail_at(std::uint64_t line, std::string_view message) const;

 private:
  bool refill();
  [[noreturn]] void fail_too_long() const;

  std::istream* in_;
  std::string name_;
  std::size_t chunk_;      // the largest read
  std::size_t read_size_;  // the next read
  std::unique_ptr<char[]> buf_;
  std::size_t capacity_ = 0;
  std::size_t pos_ = 0;  // start of the unread part of buf_
  std::size_t end_ = 0;  // end of the data in buf_
  bool eof_ = false;
  std::uint64_t line_ = 0;
};

// The readers behind make_trace_reader / make_gpiomon_reader, taking their
// lines from a source (which may already have been peeked at).
std::unique_ptr<EdgeReader> make_trace_reader(LineSource lines, const Site& site);
std::unique_ptr<EdgeReader> make_gpiomon_reader(LineSource lines, const Site& site,
                                                GpiomonOptions options);
// Either, by the first line (make_edge_reader).
std::unique_ptr<EdgeReader> make_edge_reader(LineSource lines, const Site& site, GpiomonOptions options);

// Whether `line` has the words of a gpiomon event line (libgpiod 1.6 or 2.x
// default format), even with a bad value, which the gpiomon reader reports.
bool is_gpiomon_event(std::string_view line);

// `text` for an error message: at most a few dozen characters, control
// characters replaced, so that the message stays one short line.
std::string printable(std::string_view text);

}  // namespace roadspeed::trace_detail
