#include "daemon/journal/journal_coverage.hpp"

#include <algorithm>
#include <sstream>
#include <stdexcept>
#include <utility>

#include "daemon/journal/pass_record.hpp"
#include "drivers/trace/trace_reader.hpp"

namespace roadspeed {
namespace fs = std::filesystem;
namespace {

constexpr std::int64_t ns_per_s = 1'000'000'000;

// Calls f(edge) for every edge of a journal file's text, checking all of it.
template <class F>
void parse_edges(const fs::path& path, std::string text, const Site& site, F f) {
  std::istringstream in(std::move(text));
  const auto reader = make_trace_reader(in, path.string(), site);
  while (const auto e = reader->next()) f(*e);
}

// Calls times(path, text, f) to have f called with each row's time.
using RowTimes = std::function<void(const fs::path&, std::string, const std::function<void(std::int64_t)>&)>;

JournalIndex index_files(const fs::path& dir, const JournalKind& kind, TimeSpan window, const RowTimes& times);

}  // namespace

JournalIndex index_journal(const fs::path& dir, const Site& site, TimeSpan window) {
  return index_files(dir, edge_journal, window, [&](const fs::path& path, std::string text, const auto& f) {
    parse_edges(path, std::move(text), site, [&](const Edge& e) { f(e.t_ns); });
  });
}

JournalIndex index_pass_journal(const fs::path& dir, const Site& site, TimeSpan window) {
  return index_files(dir, pass_journal, window, [&](const fs::path& path, std::string text, const auto& f) {
    read_pass_rows(text, path.string(), site, [&](RadarPass&& p) { f(p.closed_ns); });
  });
}

namespace {

JournalIndex index_files(const fs::path& dir, const JournalKind& kind, TimeSpan window, const RowTimes& times) {
  const std::vector<JournalFile> files = list_journal_files(dir, kind);
  JournalIndex index;
  for (std::size_t i = 0; i < files.size(); ++i) {
    const JournalFile& file = files[i];
    std::string text;
    if (!file.compressed) {
      text = read_journal_text(file.path);
      if (!find_end_mark(text)) {
        index.open_file = file;
        continue;
      }
    }
    // A file's edges end before the next file's first edge, which its name
    // gives to the second.
    const bool ends_after_start = i + 1 == files.size() || files[i + 1].named_ns + ns_per_s > window.start_ns;
    if (file.named_ns >= window.end_ns || !ends_after_start) continue;
    if (text.empty()) text = read_journal_text(file.path);
    JournalSegment s;
    s.path = file.path;
    const std::optional<std::int64_t> mark = find_end_mark(text);
    bool any = false;
    times(file.path, std::move(text), [&](std::int64_t t_ns) {
      if (!any) s.first_edge_ns = t_ns;
      any = true;
      s.last_edge_ns = t_ns;
    });
    if (!any) continue;  // cut before its first row: it covers nothing
    s.end_marked = mark.has_value();
    s.end_ns = std::max(s.last_edge_ns, mark.value_or(s.last_edge_ns));
    index.segments.push_back(std::move(s));
  }
  std::sort(index.segments.begin(), index.segments.end(),
            [](const JournalSegment& a, const JournalSegment& b) { return a.first_edge_ns < b.first_edge_ns; });
  for (std::size_t i = 1; i < index.segments.size(); ++i) {
    const JournalSegment &prev = index.segments[i - 1], &next = index.segments[i];
    if (next.first_edge_ns < prev.last_edge_ns)
      throw std::runtime_error("journal files " + prev.path.filename().string() + " and " +
                               next.path.filename().string() +
                               " overlap in time (the clock stepped back?): their edges cannot be replayed in order");
  }
  for (const JournalSegment& s : index.segments) {
    // The next file takes over where the last one's end mark says: no gap.
    if (!index.covered.empty() && s.first_edge_ns <= index.covered.back().end_ns)
      index.covered.back().end_ns = std::max(index.covered.back().end_ns, s.end_ns);
    else
      index.covered.push_back({s.first_edge_ns, s.end_ns});
  }
  return index;
}

}  // namespace

std::vector<TimeSpan> uncovered(const std::vector<TimeSpan>& covered, TimeSpan period) {
  std::vector<TimeSpan> gaps;
  std::int64_t at = period.start_ns;
  for (const TimeSpan& c : covered) {
    if (c.end_ns <= at) continue;
    if (c.start_ns >= period.end_ns) break;
    if (c.start_ns > at) gaps.push_back({at, c.start_ns});
    at = c.end_ns;
  }
  if (at < period.end_ns) gaps.push_back({at, period.end_ns});
  return gaps;
}

void for_each_edge(const JournalSegment& segment, const Site& site, TimeSpan window,
                   const std::function<void(const Edge&)>& f) {
  parse_edges(segment.path, read_journal_text(segment.path), site, [&](const Edge& e) {
    if (e.t_ns >= window.start_ns && e.t_ns < window.end_ns) f(e);
  });
}

void for_each_pass(const JournalSegment& segment, const Site& site, TimeSpan window,
                   const std::function<void(RadarPass&&)>& f) {
  read_pass_rows(read_journal_text(segment.path), segment.path.string(), site, [&](RadarPass&& p) {
    if (p.closed_ns >= window.start_ns && p.closed_ns < window.end_ns) f(std::move(p));
  });
}

}  // namespace roadspeed
