// An output file that appears only complete: written under a temporary name
// beside the target, renamed over it by commit(). Dropped uncommitted (an
// error part-way), the temporary file is removed and the target untouched.
#pragma once

#include <filesystem>
#include <fstream>

namespace roadspeed::cli {

class AtomicOutputFile {
 public:
  explicit AtomicOutputFile(std::filesystem::path target);
  ~AtomicOutputFile();
  AtomicOutputFile(const AtomicOutputFile&) = delete;
  AtomicOutputFile& operator=(const AtomicOutputFile&) = delete;

  std::ostream& stream() { return out_; }
  // Flushes, checks for write errors, renames into place. Throws on failure.
  void commit();

 private:
  std::filesystem::path target_;
  std::filesystem::path temp_;
  std::ofstream out_;
  bool committed_ = false;
};

}  // namespace roadspeed::cli
