// What the journal covers: rotated files join without a gap, a deleted file
// or one cut by a power failure leaves one, the daemon's open file is not read.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <limits>

#include "daemon/journal/edge_journal.hpp"
#include "daemon/journal/journal_coverage.hpp"
#include "pass_builder.hpp"

using namespace roadspeed;
namespace fs = std::filesystem;

namespace {

constexpr std::int64_t s_ns = 1'000'000'000;
const TimeSpan everything{0, std::numeric_limits<std::int64_t>::max()};

fs::path fresh_dir(const std::string& name) {
  const fs::path d = fs::temp_directory_path() / ("roadspeed-coverage-" + std::to_string(::getpid()) + "-" + name);
  fs::remove_all(d);
  return d;
}

// A pass every 3 s at 40 km/h.
std::vector<Edge> traffic(int passes, double start_s = 0) {
  std::vector<test::Pass> p;
  for (int i = 0; i < passes; ++i) p.push_back(test::Pass{start_s + i * 3.0, 40 / 3.6, 0, false, {{0.0, 4.0}}});
  return test::edges_of(test::two_loop_site().traps[0], p);
}

std::vector<fs::path> compressed(const fs::path& dir) {
  std::vector<fs::path> out;
  for (const auto& f : list_journal_files(dir))
    if (f.compressed) out.push_back(f.path);
  return out;
}

}  // namespace

TEST_CASE("rotated journal files join without a gap, through the time the journal was closed at", "[journal]") {
  const fs::path dir = fresh_dir("rotated");
  auto site = std::make_shared<const Site>(test::two_loop_site());
  const std::vector<Edge> edges = traffic(300);
  {
    JournalLimits limits;
    limits.max_file_bytes = 4000;
    EdgeJournal journal(dir, site, limits);
    journal.append(edges);
    journal.close(edges.back().t_ns + 10 * s_ns);
  }
  EdgeJournal(dir, site, JournalLimits{}).close();  // the next start compresses the last file
  const JournalIndex index = index_journal(dir, *site, everything);
  REQUIRE(index.segments.size() > 3);
  CHECK(std::all_of(index.segments.begin(), index.segments.end(), [](const auto& s) { return s.end_marked; }));
  CHECK_FALSE(index.open_file);
  REQUIRE(index.covered.size() == 1);
  CHECK(index.covered[0] == TimeSpan{edges.front().t_ns, edges.back().t_ns + 10 * s_ns});
  CHECK(uncovered(index.covered, {edges.front().t_ns, edges.back().t_ns}).empty());

  std::size_t replayed = 0;
  for (const JournalSegment& s : index.segments) for_each_edge(s, *site, everything, [&](const Edge&) { ++replayed; });
  CHECK(replayed == edges.size());

  SECTION("a deleted file leaves a gap from its first edge to the next file's") {
    const std::vector<fs::path> files = compressed(dir);
    fs::remove(files[2]);
    const JournalIndex after = index_journal(dir, *site, everything);
    const std::vector<TimeSpan> gaps = uncovered(after.covered, {edges.front().t_ns, edges.back().t_ns});
    REQUIRE(gaps.size() == 1);
    CHECK(gaps[0].start_ns == index.segments[2].first_edge_ns);
    CHECK(gaps[0].end_ns == index.segments[3].first_edge_ns);
  }
  SECTION("a window reads only the files that may hold its edges") {
    const JournalIndex part = index_journal(dir, *site, {index.segments[2].first_edge_ns + 1, index.segments[2].last_edge_ns});
    // Its own file, and at most the neighbours whose names are within a second of it.
    const auto has = [&](std::size_t i) {
      return std::any_of(part.segments.begin(), part.segments.end(),
                         [&](const JournalSegment& s) { return s.path == index.segments[i].path; });
    };
    CHECK(has(2));
    CHECK_FALSE(has(0));
    CHECK(part.segments.size() <= 3);
  }
  fs::remove_all(dir);
}

TEST_CASE("a journal file cut by a power failure covers only up to its last edge", "[journal]") {
  const fs::path dir = fresh_dir("cut");
  auto site = std::make_shared<const Site>(test::two_loop_site());
  const std::vector<Edge> before = traffic(10), after = traffic(10, 600);
  {
    EdgeJournal journal(dir, site, JournalLimits{});
    journal.append(before);
  }
  // What a power cut leaves: the same file without its end mark.
  const fs::path cut = list_journal_files(dir).at(0).path;
  std::string text = read_journal_text(cut);
  REQUIRE(find_end_mark(text));
  text.resize(text.rfind("# journal end: "));
  std::ofstream(cut, std::ios::trunc) << text;

  SECTION("left open, it is taken for the file the daemon writes, and not read") {
    const JournalIndex index = index_journal(dir, *site, everything);
    REQUIRE(index.open_file);
    CHECK(index.open_file->path == cut);
    CHECK(index.segments.empty());
  }
  SECTION("after the next start closes it, the time until the next file is a gap") {
    {
      EdgeJournal journal(dir, site, JournalLimits{});
      journal.append(after);
    }
    EdgeJournal(dir, site, JournalLimits{}).close();
    const JournalIndex index = index_journal(dir, *site, everything);
    REQUIRE(index.segments.size() == 2);
    CHECK_FALSE(index.segments[0].end_marked);
    CHECK(index.segments[1].end_marked);
    const auto gaps = uncovered(index.covered, {before.front().t_ns, after.back().t_ns});
    REQUIRE(gaps.size() == 1);
    CHECK(gaps[0] == TimeSpan{before.back().t_ns, after.front().t_ns});
  }
  fs::remove_all(dir);
}

TEST_CASE("a clock step ends the old journal file at its last edge", "[journal]") {
  const fs::path dir = fresh_dir("step");
  auto site = std::make_shared<const Site>(test::two_loop_site());
  const std::vector<Edge> before = traffic(5), after = traffic(5, 100);
  {
    EdgeJournal journal(dir, site, JournalLimits{});
    journal.append(before);
    journal.clock_step(2.5);
    journal.append(after);
  }
  EdgeJournal(dir, site, JournalLimits{}).close();
  const JournalIndex index = index_journal(dir, *site, everything);
  REQUIRE(index.segments.size() == 2);
  CHECK(index.segments[0].end_ns == before.back().t_ns);
  CHECK(uncovered(index.covered, {before.front().t_ns, after.back().t_ns}) ==
        std::vector<TimeSpan>{{before.back().t_ns, after.front().t_ns}});
  fs::remove_all(dir);
}

TEST_CASE("uncovered spans are what the covered ones leave of a period", "[journal]") {
  const std::vector<TimeSpan> covered{{10, 20}, {30, 40}};
  CHECK(uncovered(covered, {12, 18}).empty());
  CHECK(uncovered(covered, {0, 50}) == std::vector<TimeSpan>{{0, 10}, {20, 30}, {40, 50}});
  CHECK(uncovered(covered, {15, 35}) == std::vector<TimeSpan>{{20, 30}});
  CHECK(uncovered({}, {1, 2}) == std::vector<TimeSpan>{{1, 2}});
}
