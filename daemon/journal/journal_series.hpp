// One series of journal files of one kind (edges, or radar passes) as the
// journal's writer thread keeps it: a file begun at its first row, rotated
// (ended, gzip-compressed) at its size or age limit, ended with the end
// mark (journal_files.hpp) when closed on purpose. Both kinds follow these
// rules through this one class; only their rows differ.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>

#include "daemon/journal/journal_files.hpp"

namespace roadspeed {

struct JournalLimits {
  std::uint64_t max_file_bytes = 16ULL << 20;               // rotate a file at this size...
  std::chrono::seconds max_file_age = std::chrono::hours(1);  // ...or when its first row is this old
  std::uint64_t max_total_bytes = 2ULL << 30;               // compressed files kept, all kinds together
  std::chrono::seconds max_age = std::chrono::hours(24 * 90);  // and none older than this
};

class JournalSeries {
 public:
  // Compresses the files of this kind a previous run left open (stopped,
  // or cut by a power failure). Throws std::runtime_error naming a file.
  JournalSeries(std::filesystem::path dir, const JournalKind& kind, JournalLimits limits);

  bool is_open() const { return file_.is_open(); }
  // A row at `t_ns` belongs in a new file: the open one is old or big enough.
  bool due(std::int64_t t_ns) const;
  // Begins a file whose first row is at `first_t_ns`; the caller writes
  // its header and rows to the stream and counts them with wrote().
  std::ostream& begin(std::int64_t first_t_ns);
  std::ostream& stream() { return file_; }
  void wrote(std::int64_t t_ns, std::uint64_t bytes);
  // The last row's time in the open file.
  std::int64_t last_ns() const { return last_ns_; }
  // Writes the end mark (rows watched through `end_ns`) and closes the
  // file; `compress`: a rotation, so it is compressed and the folder tidied
  // (at a stop it is left plain: the next start compresses it).
  void end(std::int64_t end_ns, bool compress);

 private:
  std::filesystem::path dir_;
  JournalKind kind_;
  JournalLimits limits_;
  std::filesystem::path path_;
  std::ofstream file_;
  std::int64_t first_ns_ = 0;
  std::int64_t last_ns_ = 0;
  std::uint64_t bytes_ = 0;
};

// gzip-compresses `from` into `to` (cut back to its last whole line) and
// removes `from`. Throws std::runtime_error naming the file on failure.
void compress_journal_file(const std::filesystem::path& from, const std::filesystem::path& to);

// Deletes the oldest compressed files of every kind beyond the folder's limits.
void tidy_journal(const std::filesystem::path& dir, const JournalLimits& limits);

}  // namespace roadspeed
