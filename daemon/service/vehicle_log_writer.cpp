#include "daemon/service/vehicle_log_writer.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "daemon/detect/vehicle_csv.hpp"
#include "daemon/service/log.hpp"

namespace roadspeed {

VehicleLogWriter::VehicleLogWriter(const std::filesystem::path& file) : path_(file) {
  fd_ = ::open(file.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd_ < 0) throw std::runtime_error("cannot open " + file.string() + " for appending: " + std::strerror(errno));
  struct stat st {};
  if (::fstat(fd_, &st) == 0 && st.st_size == 0) {
    buffer_ = std::string(vehicle_csv_header) + '\n';
  }
  thread_ = std::thread([this] { run(); });
}

VehicleLogWriter::~VehicleLogWriter() { close(); }

void VehicleLogWriter::append(std::span<const Vehicle> vehicles, std::shared_ptr<const Site> site) {
  {
    std::lock_guard lock(mutex_);
    for (const Vehicle& v : vehicles) {
      if (queue_.size() >= max_queued) {
        ++dropped_;
        continue;
      }
      queue_.push_back(Queued{v, site});
    }
  }
  wake_.notify_one();
}

void VehicleLogWriter::close() {
  {
    std::lock_guard lock(mutex_);
    if (closing_ && !thread_.joinable()) return;
    closing_ = true;
  }
  wake_.notify_one();
  if (thread_.joinable()) thread_.join();
  if (fd_ >= 0) {
    ::close(fd_);
    fd_ = -1;
  }
}

std::uint64_t VehicleLogWriter::written() const {
  std::lock_guard lock(mutex_);
  return written_;
}

std::uint64_t VehicleLogWriter::dropped() const {
  std::lock_guard lock(mutex_);
  return dropped_;
}

void VehicleLogWriter::run() {
  std::vector<Queued> batch;
  auto next_sync = std::chrono::steady_clock::now() + sync_interval;
  for (bool closing = false; !closing;) {
    {
      std::unique_lock lock(mutex_);
      wake_.wait_until(lock, next_sync, [this] { return closing_; });
      closing = closing_;
      batch.swap(queue_);
    }
    write_out(batch);
    if (closing || std::chrono::steady_clock::now() >= next_sync) {
      sync();
      next_sync = std::chrono::steady_clock::now() + sync_interval;
    }
  }
}

void VehicleLogWriter::write_out(std::vector<Queued>& batch) {
  for (const Queued& q : batch) {
    append_vehicle_row(buffer_, *q.site, q.vehicle);
    buffer_ += '\n';
  }
  const std::size_t count = batch.size();
  batch.clear();
  // A failed write keeps the text for the next attempt: the disk may come back.
  while (!buffer_.empty()) {
    const ssize_t n = ::write(fd_, buffer_.data(), buffer_.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      log::error("cannot write " + path_.string() + ": " + std::strerror(errno) + "; will retry");
      break;
    }
    buffer_.erase(0, static_cast<std::size_t>(n));
  }
  std::lock_guard lock(mutex_);
  written_ += count;
}

void VehicleLogWriter::sync() {
  if (::fsync(fd_) != 0) log::error("cannot fsync " + path_.string() + ": " + std::strerror(errno));
}

}  // namespace roadspeed
