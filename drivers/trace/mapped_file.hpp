// A regular file mapped read-only into memory, so that a long trace is
// parsed where the page cache holds it: read() would copy every byte (300 MB
// for ten million edges) into a buffer first, which costs the system time
// of a `wc -l` once more.
//
// A file can shrink while it is mapped (truncated by another program), and
// touching a page past its new end raises SIGBUS. So the mapping is handed
// out window by window: holds() asks the file for its size (fstat) before a
// window is used, and a shrunk file simply ends there, as a stream read of
// it would. What remains is a truncation within the window being parsed, a
// megabyte at most and a few milliseconds: that kills the process with
// SIGBUS, and analyze's output, written under a temporary name and renamed
// only when complete, is then never left half-written.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

namespace roadspeed::trace_detail {

class MappedFile {
 public:
  // The file at `path` if it is a non-empty regular file that could be
  // mapped; nullopt otherwise (a pipe, a device, an empty or unreadable
  // file: those are read as a stream, which also reports the errors).
  static std::optional<MappedFile> map(const std::string& path);

  MappedFile(MappedFile&& other) noexcept;
  MappedFile& operator=(MappedFile&& other) noexcept;
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  ~MappedFile();

  const char* data() const { return data_; }
  std::size_t size() const { return size_; }  // as mapped
  // How many of the `n` bytes from `offset` the file still holds (fewer
  // once it has shrunk; after that, never more), made resident in one call
  // rather than a page fault each.
  std::size_t holds(std::size_t offset, std::size_t n);

 private:
  MappedFile(int fd, const char* data, std::size_t size) : fd_(fd), data_(data), size_(size) {}
  void release() noexcept;

  int fd_ = -1;
  const char* data_ = nullptr;
  std::size_t size_ = 0;
  std::size_t limit_ = 0;  // the smallest size the file has been seen with
};

}  // namespace roadspeed::trace_detail
