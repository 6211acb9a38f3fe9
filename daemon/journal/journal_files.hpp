// The journal folder's files as both its writer and its readers see them:
// their names, their text (compressed or not) and the end mark. A file
// closed on purpose (rotated, or the daemon stopped) ends with the comment
// `# journal end: T`: edges were watched through T. A file cut by a power
// failure has none, so a reader can tell a rotation from a gap.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace roadspeed {

// The journal folder holds two kinds of file, each a series of its own
// with the same rules: edges (trace files) and radar passes (pass_record.hpp).
struct JournalKind {
  std::string_view prefix;         // "edges-"
  std::string_view open_suffix;    // being written: ".trace.csv"
  std::string_view closed_suffix;  // rotated: ".trace.csv.gz"
};
inline constexpr JournalKind edge_journal{"edges-", ".trace.csv", ".trace.csv.gz"};
inline constexpr JournalKind pass_journal{"passes-", ".passes.csv", ".passes.csv.gz"};

// "edges-20251126T120014Z": names sort by the time of their first row.
std::string journal_file_stem(std::int64_t first_t_ns, const JournalKind& kind = edge_journal);
// The end mark's comment text (without "# "): "journal end: T" (epoch ns).
std::string journal_end_comment(std::int64_t t_ns);

struct JournalFile {
  std::filesystem::path path;
  std::int64_t named_ns = 0;  // the time in its name: its first edge, to the second
  bool compressed = false;
};

// The folder's journal files in name order. A plain file whose compressed
// twin exists is being compressed right now and is left out. Throws
// std::runtime_error naming the folder when it cannot be read.
std::vector<JournalFile> list_journal_files(const std::filesystem::path& dir, const JournalKind& kind = edge_journal);

// A file's whole text, gunzipped when compressed. Throws std::runtime_error.
std::string read_journal_text(const std::filesystem::path& path);

// The time of the text's last end mark, if it has one.
std::optional<std::int64_t> find_end_mark(std::string_view text);

}  // namespace roadspeed
