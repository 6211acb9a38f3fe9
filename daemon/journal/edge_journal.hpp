// The raw edge journal: every loop edge the daemon reads, appended to trace
// files (spec/interfaces.md §1) in a folder, so a period can be measured
// again after a calibration or a fix. A file is rotated (gzip-compressed)
// when it reaches its size or age limit, and the oldest compressed files
// are deleted beyond the folder's size and age limits. Writing happens on a
// thread of its own behind a bounded queue; a file left open by a power cut
// is cut back to its last whole line and compressed at the next start. A
// file closed on purpose ends with an end mark (journal_files.hpp), so that
// `roadspeed reanalyze` can tell a rotation or a stop from a power cut.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "daemon/site/site.hpp"
#include "drivers/edge.hpp"
#include "drivers/trace/trace_writer.hpp"

namespace roadspeed {

struct JournalLimits {
  std::uint64_t max_file_bytes = 16ULL << 20;               // rotate a file at this size...
  std::chrono::seconds max_file_age = std::chrono::hours(1);  // ...or when its first edge is this old
  std::uint64_t max_total_bytes = 2ULL << 30;               // compressed files kept, all together
  std::chrono::seconds max_age = std::chrono::hours(24 * 90);  // and none older than this
};

class EdgeJournal {
 public:
  // Edges the queue holds before it drops the newest (counted).
  static constexpr std::size_t max_queued_edges = 1'000'000;

  // Creates the folder if needed and tidies what a previous run left.
  // Throws std::runtime_error naming the folder when it cannot be used.
  EdgeJournal(std::filesystem::path dir, std::shared_ptr<const Site> site, JournalLimits limits);
  ~EdgeJournal();  // close()
  EdgeJournal(const EdgeJournal&) = delete;
  EdgeJournal& operator=(const EdgeJournal&) = delete;

  // Loop edges only: a radar's raw rate is far higher (its passes are
  // journaled as records once radar decoding is in the daemon).
  void append(std::span<const Edge> edges);
  // The wall clock stepped by `step_s`: the next edges start a new file
  // whose first comment says so. The old file's end mark is its last edge:
  // when the step happened on the old clock is not known.
  void clock_step(double step_s);
  // Writes everything queued, ends the file with an end mark at
  // `watched_through_ns` (at least its last edge: the time the source was
  // watched to, so a quiet end counts as watched), closes it (not
  // compressed: the next start compresses it) and stops the thread.
  void close(std::int64_t watched_through_ns = 0);

  std::uint64_t dropped() const;

 private:
  struct Item {
    std::vector<Edge> edges;
    std::optional<double> clock_step_s;
  };
  void run();
  void write(const Item& item);
  void open_file(std::int64_t first_t_ns, const std::optional<double>& clock_step_s);
  void end_file(std::int64_t end_ns);
  void rotate(std::int64_t end_ns);
  void tidy();

  std::filesystem::path dir_;
  std::shared_ptr<const Site> site_;
  JournalLimits limits_;
  std::vector<bool> journaled_;  // per input

  // Writer thread.
  std::filesystem::path current_path_;
  std::ofstream file_;
  std::unique_ptr<TraceWriter> writer_;
  std::int64_t file_first_ns_ = 0;
  std::int64_t last_edge_ns_ = 0;  // of the current file
  std::uint64_t file_bytes_ = 0;  // rows' text so far
  std::optional<double> pending_step_s_;

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::vector<Item> queue_;
  std::size_t queued_edges_ = 0;
  std::uint64_t dropped_ = 0;
  bool closing_ = false;
  std::int64_t watched_through_ns_ = 0;
  std::thread thread_;
};

// gzip-compresses `from` into `to` (cut back to its last whole line) and
// removes `from`. Throws std::runtime_error naming the file on failure.
void compress_trace_file(const std::filesystem::path& from, const std::filesystem::path& to);

}  // namespace roadspeed
