#include "daemon/cli/atomic_output.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string>
#include <system_error>

namespace roadspeed::cli {

AtomicOutputFile::AtomicOutputFile(std::filesystem::path target)
    : target_(std::move(target)),
      temp_(target_.string() + ".tmp." + std::to_string(::getpid())),
      out_(temp_, std::ios::binary | std::ios::trunc) {
  if (!out_) throw std::runtime_error("cannot create " + temp_.string() + ": " + std::strerror(errno));
}

AtomicOutputFile::~AtomicOutputFile() {
  if (committed_) return;
  out_.close();
  std::error_code ignored;
  std::filesystem::remove(temp_, ignored);
}

void AtomicOutputFile::commit() {
  out_.flush();
  if (!out_) throw std::runtime_error("cannot write " + temp_.string() + ": " + std::strerror(errno));
  out_.close();
  std::error_code ec;
  std::filesystem::rename(temp_, target_, ec);
  if (ec) throw std::runtime_error("cannot rename " + temp_.string() + " to " + target_.string() + ": " + ec.message());
  committed_ = true;
}

}  // namespace roadspeed::cli
