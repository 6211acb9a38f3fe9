// Recovery after an unclean shutdown. A marker file beside the database
// exists while a writer has it open; finding it at start means the last run
// did not close cleanly (power cut, kill). Then the daemon runs
// check_or_move_aside() in the background after READY: a database that
// fails `PRAGMA quick_check` is renamed aside (never deleted) and a fresh
// one is started.
#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace roadspeed::store {

class OpenMarker {
 public:
  explicit OpenMarker(const std::filesystem::path& db_path);
  ~OpenMarker();  // a clean close removes the marker
  OpenMarker(const OpenMarker&) = delete;
  OpenMarker& operator=(const OpenMarker&) = delete;

  // The marker was there already: the last writer did not close cleanly.
  bool previous_run_unclean() const { return unclean_; }
  static std::filesystem::path path_for(const std::filesystem::path& db_path);

 private:
  std::filesystem::path path_;
  bool unclean_ = false;
};

struct CheckResult {
  bool ok = false;
  std::string message;                          // quick_check's first line or the error
  std::optional<std::filesystem::path> moved_to;  // where a failing database went
};

// Runs `PRAGMA quick_check` on its own connection. On failure, moves the
// database (and its -wal and -shm files) to "<db>.corrupt-<stamp>" and says
// so through `log` in one line.
CheckResult check_or_move_aside(const std::filesystem::path& db_path, std::string_view stamp,
                                const std::function<void(std::string_view)>& log);

}  // namespace roadspeed::store
