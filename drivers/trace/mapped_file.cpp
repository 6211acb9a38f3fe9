#include "drivers/trace/mapped_file.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <utility>

namespace roadspeed::trace_detail {

std::optional<MappedFile> MappedFile::map(const std::string& path) {
  struct stat st {};
  // Only a regular file is opened here: opening a FIFO would take its
  // writer's data, or wait for one.
  if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode) || st.st_size <= 0) return std::nullopt;
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size <= 0) {
    ::close(fd);
    return std::nullopt;
  }
  const auto size = static_cast<std::size_t>(st.st_size);
  void* addr = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
  if (addr == MAP_FAILED) {
    ::close(fd);
    return std::nullopt;
  }
  // Read ahead aggressively when the file is not cached yet.
  ::madvise(addr, size, MADV_SEQUENTIAL);
  MappedFile file(fd, static_cast<const char*>(addr), size);
  file.limit_ = size;
  return file;
}

MappedFile::MappedFile(MappedFile&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)), data_(std::exchange(other.data_, nullptr)),
      size_(std::exchange(other.size_, 0)), limit_(std::exchange(other.limit_, 0)) {}

MappedFile& MappedFile::operator=(MappedFile&& other) noexcept {
  if (this != &other) {
    release();
    fd_ = std::exchange(other.fd_, -1);
    data_ = std::exchange(other.data_, nullptr);
    size_ = std::exchange(other.size_, 0);
    limit_ = std::exchange(other.limit_, 0);
  }
  return *this;
}

MappedFile::~MappedFile() { release(); }

void MappedFile::release() noexcept {
  if (data_ != nullptr) ::munmap(const_cast<char*>(data_), size_);
  if (fd_ >= 0) ::close(fd_);
  data_ = nullptr;
  fd_ = -1;
}

std::size_t MappedFile::holds(std::size_t offset, std::size_t n) {
  struct stat st {};
  // A failed fstat (it cannot fail on an open descriptor short of a kernel
  // problem) ends the input rather than risking a fault.
  const std::size_t now = ::fstat(fd_, &st) == 0 ? static_cast<std::size_t>(std::max<off_t>(st.st_size, 0)) : 0;
  limit_ = std::min(limit_, now);
  if (offset >= limit_) return 0;
  n = std::min(n, limit_ - offset);
  // Map the window's pages in one call instead of a fault per 64 KiB
  // (best effort: MADV_POPULATE_READ is Linux 5.14 or later).
  const auto page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
  const std::size_t first = offset / page * page;
#ifdef MADV_POPULATE_READ
  ::madvise(const_cast<char*>(data_) + first, offset + n - first, MADV_POPULATE_READ);
#endif
  return n;
}

}  // namespace roadspeed::trace_detail
