#include "daemon/journal/journal_files.hpp"

#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <ctime>
#include <stdexcept>
#include <system_error>

#include "drivers/utc_time.hpp"

namespace roadspeed {
namespace fs = std::filesystem;
namespace {

constexpr std::string_view end_mark_prefix = "# journal end: ";

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// The time in "edges-20251126T120014Z[-N]", or nothing for another name.
std::optional<std::int64_t> named_time_ns(std::string_view stem, std::string_view prefix) {
  if (!stem.starts_with(prefix)) return std::nullopt;
  stem.remove_prefix(prefix.size());
  const auto number = [&](std::size_t pos, std::size_t len) -> std::optional<int> {
    int v = 0;
    if (pos + len > stem.size()) return std::nullopt;
    const auto r = std::from_chars(stem.data() + pos, stem.data() + pos + len, v);
    if (r.ptr != stem.data() + pos + len) return std::nullopt;
    return v;
  };
  const auto y = number(0, 4), mo = number(4, 2), d = number(6, 2), h = number(9, 2), mi = number(11, 2),
             s = number(13, 2);
  if (!y || !mo || !d || !h || !mi || !s || stem.size() < 16 || stem[8] != 'T' || stem[15] != 'Z') return std::nullopt;
  std::tm tm{};
  tm.tm_year = *y - 1900;
  tm.tm_mon = *mo - 1;
  tm.tm_mday = *d;
  tm.tm_hour = *h;
  tm.tm_min = *mi;
  tm.tm_sec = *s;
  return static_cast<std::int64_t>(::timegm(&tm)) * 1'000'000'000;
}

}  // namespace

std::string journal_file_stem(std::int64_t first_t_ns, const JournalKind& kind) {
  return std::string(kind.prefix) + format_utc_compact(first_t_ns);
}

std::string journal_end_comment(std::int64_t t_ns) {
  return std::string(end_mark_prefix.substr(2)) + std::to_string(t_ns);
}

std::vector<JournalFile> list_journal_files(const fs::path& dir, const JournalKind& kind) {
  std::error_code ec;
  std::vector<JournalFile> files;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    const bool compressed = ends_with(name, kind.closed_suffix);
    if (!compressed && !ends_with(name, kind.open_suffix)) continue;
    const std::string stem = name.substr(0, name.size() - (compressed ? kind.closed_suffix : kind.open_suffix).size());
    const auto t_ns = named_time_ns(stem, kind.prefix);
    if (!t_ns) continue;
    if (!compressed && fs::exists(it->path().string() + ".gz")) continue;
    files.push_back({it->path(), *t_ns, compressed});
  }
  if (ec) throw std::runtime_error("cannot read journal folder " + dir.string() + ": " + ec.message());
  std::sort(files.begin(), files.end(), [](const JournalFile& a, const JournalFile& b) { return a.path < b.path; });
  return files;
}

// gzread reads a plain file as it is, so one path serves both kinds.
std::string read_journal_text(const fs::path& path) {
  gzFile gz = gzopen(path.c_str(), "rb");
  if (!gz) throw std::runtime_error("cannot read " + path.string() + ": " + std::strerror(errno));
  std::string text;
  char buf[1 << 16];
  int n = 0;
  while ((n = gzread(gz, buf, sizeof buf)) > 0) text.append(buf, static_cast<std::size_t>(n));
  int err = Z_OK;
  const std::string why = n < 0 ? gzerror(gz, &err) : "";
  gzclose(gz);
  if (n < 0) throw std::runtime_error("cannot read " + path.string() + ": " + why);
  return text;
}

std::optional<std::int64_t> find_end_mark(std::string_view text) {
  const std::size_t at = text.rfind(end_mark_prefix);
  if (at == std::string_view::npos || (at > 0 && text[at - 1] != '\n')) return std::nullopt;
  const std::string_view rest = text.substr(at + end_mark_prefix.size());
  std::int64_t t_ns = 0;
  const auto r = std::from_chars(rest.data(), rest.data() + rest.size(), t_ns);
  if (r.ec != std::errc{} || r.ptr == rest.data() + rest.size() || *r.ptr != '\n') return std::nullopt;
  return t_ns;
}

}  // namespace roadspeed
