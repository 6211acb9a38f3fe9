// A consistent copy of a live database through SQLite's online backup API:
// safe while the daemon writes (the copy restarts its pass when a commit
// lands mid-way), and the target appears only complete.
#pragma once

#include <filesystem>

namespace roadspeed::store {

// Throws StoreError on failure; `to` is then left as it was.
void backup_database(const std::filesystem::path& from, const std::filesystem::path& to);

}  // namespace roadspeed::store
