// The line splitter shared by the trace and gpiomon readers (line_source.hpp).
#include <algorithm>
#include <cstring>
#include <utility>

#include "drivers/trace/line_source.hpp"

namespace roadspeed::trace_detail {

LineSource::LineSource(std::istream& in, std::string source_name, std::size_t chunk_bytes)
    : in_(&in), name_(std::move(source_name)), chunk_(std::max<std::size_t>(chunk_bytes, 1)),
      read_size_(std::min(chunk_, kFirstReadBytes)),
      buf_(std::make_unique_for_overwrite<char[]>(read_size_)), capacity_(read_size_) {}

void LineSource::fail(std::string_view message) const { fail_at(line_, message); }

void LineSource::fail_at(std::uint64_t line, std::string_view message) const {
  throw InputError(name_ + ":" + std::to_string(line) + ": " + std::string(message));
}

// Moves the unread tail to the front (into a bigger buffer when needed) and
// appends the next read. Reads start small and double up to the chunk size
// while the stream keeps delivering, so a short input never costs a 1 MiB
// buffer. False when nothing more could be read. The buffer is never zeroed:
// only bytes read are looked at.
bool LineSource::refill() {
  if (eof_) return false;
  const std::size_t tail = end_ - pos_;
  if (tail + read_size_ > capacity_) {
    const std::size_t capacity = std::max(tail + read_size_, 2 * capacity_);
    auto bigger = std::make_unique_for_overwrite<char[]>(capacity);
    std::memcpy(bigger.get(), buf_.get() + pos_, tail);
    buf_ = std::move(bigger);
    capacity_ = capacity;
  } else if (pos_ > 0) {
    std::memmove(buf_.get(), buf_.get() + pos_, tail);
  }
  pos_ = 0;
  end_ = tail;
  in_->read(buf_.get() + end_, static_cast<std::streamsize>(read_size_));
  const auto got = static_cast<std::size_t>(in_->gcount());
  end_ += got;
  if (got < read_size_) {
    eof_ = true;
    if (in_->bad()) fail_at(line_ + 1, "read error");
  }
  read_size_ = std::min(chunk_, read_size_ * 2);
  return got > 0;
}

static std::string_view strip_cr(std::string_view line) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

std::string_view LineSource::peek_first_line() {
  for (;;) {
    const char* start = buf_.get() + pos_;
    const std::size_t avail = end_ - pos_;
    if (const void* nl = std::memchr(start, '\n', avail)) {
      return strip_cr({start, static_cast<std::size_t>(static_cast<const char*>(nl) - start)});
    }
    if (avail > kMaxLineBytes || !refill()) return strip_cr({buf_.get() + pos_, end_ - pos_});
  }
}

std::optional<std::string_view> LineSource::next() {
  for (;;) {
    const char* start = buf_.get() + pos_;
    const std::size_t avail = end_ - pos_;
    if (const void* nl = std::memchr(start, '\n', avail)) {
      const auto len = static_cast<std::size_t>(static_cast<const char*>(nl) - start);
      if (len > kMaxLineBytes) fail_too_long();
      pos_ += len + 1;
      ++line_;
      return strip_cr({start, len});
    }
    if (avail > kMaxLineBytes) fail_too_long();
    if (!refill()) {
      if (pos_ == end_) return std::nullopt;
      // The last line, without a final newline.
      const std::string_view rest(buf_.get() + pos_, end_ - pos_);
      pos_ = end_;
      ++line_;
      return strip_cr(rest);
    }
  }
}

void LineSource::fail_too_long() const {
  fail_at(line_ + 1, "line is longer than " + std::to_string(kMaxLineBytes) + " bytes");
}

std::string printable(std::string_view text) {
  constexpr std::size_t kMax = 48;
  std::string out;
  for (char c : text.substr(0, kMax)) {
    out += (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) ? '?' : c;
  }
  if (text.size() > kMax) out += "...";
  return out;
}

}  // namespace roadspeed::trace_detail
