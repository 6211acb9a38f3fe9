#include "daemon/journal/journal_series.hpp"

#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

namespace roadspeed {
namespace fs = std::filesystem;

void compress_journal_file(const fs::path& from, const fs::path& to) {
  std::ifstream in(from, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + from.string() + ": " + std::strerror(errno));
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  // A power cut may have left half a line: the reader would reject it.
  text.resize(text.rfind('\n') == std::string::npos ? 0 : text.rfind('\n') + 1);
  const fs::path tmp = to.string() + ".tmp";
  gzFile gz = gzopen(tmp.c_str(), "wb6");
  if (!gz) throw std::runtime_error("cannot write " + tmp.string() + ": " + std::strerror(errno));
  const bool ok = text.empty() || gzwrite(gz, text.data(), static_cast<unsigned>(text.size())) > 0;
  if (gzclose(gz) != Z_OK || !ok) {
    fs::remove(tmp);
    throw std::runtime_error("cannot write " + tmp.string());
  }
  fs::rename(tmp, to);
  fs::remove(from);
}

// One budget for all kinds, oldest first by the time in their names.
void tidy_journal(const fs::path& dir, const JournalLimits& limits) {
  std::vector<JournalFile> closed;
  for (const JournalKind& kind : {edge_journal, pass_journal})
    for (JournalFile& f : list_journal_files(dir, kind))
      if (f.compressed) closed.push_back(std::move(f));
  std::sort(closed.begin(), closed.end(), [](const JournalFile& a, const JournalFile& b) {
    return a.named_ns != b.named_ns ? a.named_ns > b.named_ns : a.path > b.path;
  });
  std::uint64_t total = 0;
  const auto now = fs::file_time_type::clock::now();
  for (const JournalFile& f : closed) {
    total += fs::file_size(f.path);
    if (total > limits.max_total_bytes || now - fs::last_write_time(f.path) > limits.max_age) fs::remove(f.path);
  }
}

JournalSeries::JournalSeries(fs::path dir, const JournalKind& kind, JournalLimits limits)
    : dir_(std::move(dir)), kind_(kind), limits_(limits) {
  // Also a plain file whose compressed twin exists: a stop between the
  // rename and the removal in compress_journal_file left both.
  for (const auto& entry : fs::directory_iterator(dir_)) {
    const std::string name = entry.path().filename().string();
    if (name.starts_with(kind_.prefix) && name.ends_with(kind_.open_suffix))
      compress_journal_file(entry.path(), entry.path().string() + ".gz");
  }
}

bool JournalSeries::due(std::int64_t t_ns) const {
  return is_open() && (t_ns - first_ns_ >= std::chrono::nanoseconds(limits_.max_file_age).count() ||
                       bytes_ >= limits_.max_file_bytes);
}

std::ostream& JournalSeries::begin(std::int64_t first_t_ns) {
  const std::string stem = journal_file_stem(first_t_ns, kind_);
  const auto named = [&](const std::string& s) { return dir_ / (s + std::string(kind_.open_suffix)); };
  path_ = named(stem);
  for (int n = 1; fs::exists(path_) || fs::exists(path_.string() + ".gz"); ++n) path_ = named(stem + "-" + std::to_string(n));
  file_.open(path_, std::ios::binary | std::ios::trunc);
  if (!file_) throw std::runtime_error("cannot create " + path_.string() + ": " + std::strerror(errno));
  first_ns_ = last_ns_ = first_t_ns;
  bytes_ = 0;
  return file_;
}

void JournalSeries::wrote(std::int64_t t_ns, std::uint64_t bytes) {
  last_ns_ = t_ns;
  bytes_ += bytes;
}

void JournalSeries::end(std::int64_t end_ns, bool compress) {
  file_ << "# " << journal_end_comment(end_ns) << '\n';
  file_.close();
  if (!compress) return;
  compress_journal_file(path_, path_.string() + ".gz");
  tidy_journal(dir_, limits_);
}

}  // namespace roadspeed
