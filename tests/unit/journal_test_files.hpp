// Test helpers for the journal folder: a fresh scratch folder per test, and
// its files by name ending, listed here independently of the journal's own
// list_journal_files() that the tests check.
#pragma once

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace roadspeed::test {

// An empty (absent) folder "roadspeed-<what>-<pid>-<name>" under the temp directory.
inline std::filesystem::path fresh_journal_dir(std::string_view what, const std::string& name) {
  const std::filesystem::path d = std::filesystem::temp_directory_path() /
                                  ("roadspeed-" + std::string(what) + "-" + std::to_string(::getpid()) + "-" + name);
  std::filesystem::remove_all(d);
  return d;
}

// The folder's files whose names end in `suffix`, in name order.
inline std::vector<std::filesystem::path> files_ending(const std::filesystem::path& dir, std::string_view suffix) {
  std::vector<std::filesystem::path> out;
  for (const auto& e : std::filesystem::directory_iterator(dir))
    if (e.path().filename().string().ends_with(suffix)) out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace roadspeed::test
