// Vehicles appended to a CSV file on a thread of their own, behind a bounded
// queue, so a slow SD card never stalls the event loop. The file is flushed
// and fsynced once a second: a power cut loses at most that second. (The
// SQLite store replaces this file; the queue and the thread stay.)
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "daemon/detect/vehicle.hpp"
#include "daemon/site/site.hpp"

namespace roadspeed {

class VehicleLogWriter {
 public:
  // Vehicles the queue holds before it drops the newest (counted, logged).
  static constexpr std::size_t max_queued = 100'000;
  static constexpr std::chrono::seconds sync_interval{1};

  // Opens (creates) the file for appending; writes the CSV header when it is
  // empty. Throws std::runtime_error naming the file when it cannot.
  explicit VehicleLogWriter(const std::filesystem::path& file);
  ~VehicleLogWriter();  // close() if not done
  VehicleLogWriter(const VehicleLogWriter&) = delete;
  VehicleLogWriter& operator=(const VehicleLogWriter&) = delete;

  // Never blocks for I/O. `site` names the vehicles' detectors and
  // directions (a reload may change it while older rows wait).
  void append(std::span<const Vehicle> vehicles, std::shared_ptr<const Site> site);
  // Writes everything queued, fsyncs, and stops the thread.
  void close();

  std::uint64_t written() const;
  std::uint64_t dropped() const;

 private:
  void run();
  struct Queued {
    Vehicle vehicle;
    std::shared_ptr<const Site> site;
  };
  void write_out(std::vector<Queued>& batch);
  void sync();

  std::filesystem::path path_;
  int fd_ = -1;
  std::string buffer_;

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::vector<Queued> queue_;
  bool closing_ = false;
  std::uint64_t written_ = 0, dropped_ = 0;
  std::thread thread_;  // last: starts once everything above exists
};

}  // namespace roadspeed
