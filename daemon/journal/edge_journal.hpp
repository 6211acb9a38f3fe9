// The journal: every loop edge the daemon reads, appended to trace files
// (spec/interfaces.md §1), and every radar pass, appended to pass files
// (pass_record.hpp), in one folder, so a period can be measured again after
// a calibration or a fix. Radar inputs' raw edges, whose rate is far
// higher, join the trace files only when configured. Each kind is a series
// of files with the same rules (journal_series.hpp): rotated and
// gzip-compressed at a size or age limit, the oldest deleted beyond the
// folder's limits, a file left open by a power cut cut back to its last
// whole line and compressed at the next start, a file closed on purpose
// ended with an end mark, so that `roadspeed reanalyze` can tell a
// rotation or a stop from a power cut. Writing happens on a thread of its
// own behind a bounded queue: the event loop only moves data into it.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "daemon/detect/radar_pass.hpp"
#include "daemon/journal/journal_series.hpp"
#include "daemon/site/site.hpp"
#include "drivers/edge.hpp"
#include "drivers/trace/trace_writer.hpp"

namespace roadspeed {

class EdgeJournal {
 public:
  // Edges the queue holds before it drops the newest (counted); a pass
  // counts as its blocks.
  static constexpr std::size_t max_queued_edges = 1'000'000;

  // Creates the folder if needed and tidies what a previous run left.
  // `radar_edges`: radar inputs' raw edges are journaled too. Throws
  // std::runtime_error naming the folder when it cannot be used.
  EdgeJournal(std::filesystem::path dir, std::shared_ptr<const Site> site, JournalLimits limits,
              bool radar_edges = false);
  ~EdgeJournal();  // close()
  EdgeJournal(const EdgeJournal&) = delete;
  EdgeJournal& operator=(const EdgeJournal&) = delete;

  // Loop edges (and radar edges when configured); the others are left out.
  void append(std::span<const Edge> edges);
  // Radar passes as detection closed them, their detectors those of `site`
  // (detection's, which a reload may have changed), their times moved by
  // `correction_ns` (the clock steps since the source started). Taken over.
  void append_passes(std::vector<RadarPass>& passes, std::shared_ptr<const Site> site, std::int64_t correction_ns);
  // The wall clock stepped by `step_s`: the next rows start new files
  // whose first comment says so. An old file's end mark is its last row:
  // when the step happened on the old clock is not known.
  void clock_step(double step_s);
  // Writes everything queued, ends the files with an end mark at
  // `watched_through_ns` (at least their last row: the time the source was
  // watched to, so a quiet end counts as watched), closes them (not
  // compressed: the next start compresses them) and stops the thread.
  void close(std::int64_t watched_through_ns = 0);

  std::uint64_t dropped() const;

 private:
  struct Item {
    std::vector<Edge> edges;
    std::vector<RadarPass> passes;
    std::shared_ptr<const Site> pass_site;  // whose detectors the passes' are
    std::int64_t correction_ns = 0;         // of the passes
    std::optional<double> clock_step_s;
  };
  void run();
  void push(Item item, std::size_t size);
  void write(const Item& item);
  void write_edge(const Edge& e);
  void write_pass(const RadarPass& p, const Site& site, std::int64_t correction_ns);
  std::vector<std::string> header_comments();
  void end_edges(std::int64_t end_ns, bool compress);

  std::filesystem::path dir_;
  std::shared_ptr<const Site> site_;
  std::vector<bool> journaled_;  // per input

  // Writer thread.
  JournalSeries edges_;
  JournalSeries passes_;
  std::unique_ptr<TraceWriter> writer_;  // on edges_'s open file
  std::string row_;                      // a pass's row being formatted
  std::optional<double> pending_step_s_;
  std::optional<double> pending_pass_step_s_;

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::vector<Item> queue_;
  std::size_t queued_edges_ = 0;
  std::uint64_t dropped_ = 0;
  bool closing_ = false;
  std::int64_t watched_through_ns_ = 0;
  std::thread thread_;
};

}  // namespace roadspeed
