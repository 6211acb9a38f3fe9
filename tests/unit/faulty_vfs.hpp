// Test helper: an SQLite VFS shim over the default one that fails writes
// on demand, with SQLITE_FULL (a full disk) or SQLITE_IOERR_WRITE (a
// failing SD card), to show how storage behaves when the disk does.
#pragma once

#include <string>

namespace roadspeed::test {

class FaultyVfs {
 public:
  // Registers the shim under `name` (once per name and process).
  explicit FaultyVfs(std::string name);
  ~FaultyVfs();
  FaultyVfs(const FaultyVfs&) = delete;
  FaultyVfs& operator=(const FaultyVfs&) = delete;

  const std::string& name() const { return name_; }
  // From now on every write of a database or journal file returns `code`
  // (an SQLite result code); 0 lets writes through again.
  void fail_writes_with(int code) { fail_code_ = code; }
  int writes_failed() const { return writes_failed_; }

 private:
  friend struct FaultyVfsAccess;
  std::string name_;
  void* vfs_ = nullptr;  // the sqlite3_vfs, kept opaque here
  int fail_code_ = 0;
  int writes_failed_ = 0;
};

}  // namespace roadspeed::test
