#include <catch2/catch.hpp>
#include <zlib.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "daemon/journal/edge_journal.hpp"
#include "drivers/trace/trace_reader.hpp"
#include "journal_test_files.hpp"
#include "pass_builder.hpp"

using namespace roadspeed;
namespace fs = std::filesystem;

namespace {

std::string gunzip(const fs::path& p) {
  gzFile gz = gzopen(p.c_str(), "rb");
  REQUIRE(gz);
  std::string text;
  char buf[4096];
  for (int n; (n = gzread(gz, buf, sizeof buf)) > 0;) text.append(buf, static_cast<std::size_t>(n));
  gzclose(gz);
  return text;
}

std::vector<Edge> read_back(const std::string& text, const Site& site) {
  std::istringstream in(text);
  auto reader = make_trace_reader(in, "journal", site);
  std::vector<Edge> edges;
  while (auto e = reader->next()) edges.push_back(*e);
  return edges;
}

std::vector<Edge> traffic(int passes) {
  std::vector<test::Pass> p;
  for (int i = 0; i < passes; ++i) p.push_back(test::Pass{i * 3.0, 40 / 3.6, 0, false, {{0.0, 4.0}}});
  return test::edges_of(test::two_loop_site().traps[0], p);
}

}  // namespace

TEST_CASE("the journal keeps every loop edge, rotated into compressed files that read back whole", "[journal]") {
  const fs::path dir = test::fresh_journal_dir("journal", "rotate");
  auto site = std::make_shared<const Site>(test::two_loop_site_with_radar());
  const std::vector<Edge> edges = traffic(300);
  {
    JournalLimits limits;
    limits.max_file_bytes = 4000;
    EdgeJournal journal(dir, site, limits);
    std::vector<Edge> with_radar;
    for (const Edge& e : edges) {
      with_radar.push_back(e);
      with_radar.push_back(Edge{e.t_ns, 2, e.level});  // radar edges are not journaled
    }
    journal.append(with_radar);
  }
  // The last file stays open until the next start compresses it.
  REQUIRE(test::files_ending(dir, ".trace.csv").size() == 1);
  EdgeJournal(dir, site, JournalLimits{}).close();
  CHECK(test::files_ending(dir, ".trace.csv").empty());
  const auto gz = test::files_ending(dir, ".trace.csv.gz");
  CHECK(gz.size() > 3);
  std::vector<Edge> back;
  for (const auto& f : gz) {
    const auto part = read_back(gunzip(f), *site);
    back.insert(back.end(), part.begin(), part.end());
  }
  REQUIRE(back.size() == edges.size());
  CHECK(std::equal(back.begin(), back.end(), edges.begin(), [](const Edge& a, const Edge& b) {
    return a.t_ns == b.t_ns && a.input == b.input && a.level == b.level;
  }));
  fs::remove_all(dir);
}

TEST_CASE("a clock step starts a new journal file that says so first", "[journal]") {
  const fs::path dir = test::fresh_journal_dir("journal", "step");
  auto site = std::make_shared<const Site>(test::two_loop_site());
  const std::vector<Edge> edges = traffic(4);
  {
    EdgeJournal journal(dir, site, JournalLimits{});
    journal.append(std::span(edges).first(8));
    journal.clock_step(1.234);
    journal.append(std::span(edges).subspan(8));
  }
  EdgeJournal(dir, site, JournalLimits{}).close();
  const auto gz = test::files_ending(dir, ".trace.csv.gz");
  REQUIRE(gz.size() == 2);
  const std::string second = gunzip(gz[1]);
  CHECK(second.rfind("# roadspeed-trace 1\n# clock step: +1.234 s\n", 0) == 0);
  CHECK(read_back(gunzip(gz[0]), *site).size() + read_back(second, *site).size() == edges.size());
  fs::remove_all(dir);
}

TEST_CASE("a journal file cut by a power failure is kept up to its last whole line", "[journal]") {
  const fs::path dir = test::fresh_journal_dir("journal", "cut");
  fs::create_directories(dir);
  auto site = std::make_shared<const Site>(test::two_loop_site());
  std::ofstream(dir / "edges-20251126T120000Z.trace.csv")
      << "# roadspeed-trace 1\ntime_ns,input,level\n1764158400000000000,loop_a,1\n17641584002";
  EdgeJournal(dir, site, JournalLimits{}).close();
  const auto gz = test::files_ending(dir, ".trace.csv.gz");
  REQUIRE(gz.size() == 1);
  const auto edges = read_back(gunzip(gz[0]), *site);
  REQUIRE(edges.size() == 1);
  CHECK(edges[0].t_ns == 1764158400000000000);
  fs::remove_all(dir);
}

TEST_CASE("the oldest journal files go once the folder is over its size limit", "[journal]") {
  const fs::path dir = test::fresh_journal_dir("journal", "limit");
  auto site = std::make_shared<const Site>(test::two_loop_site());
  JournalLimits limits;
  limits.max_file_bytes = 2000;
  limits.max_total_bytes = 3000;
  {
    EdgeJournal journal(dir, site, limits);
    journal.append(traffic(400));
  }
  EdgeJournal(dir, site, limits).close();
  const auto gz = test::files_ending(dir, ".trace.csv.gz");
  std::uint64_t total = 0;
  for (const auto& f : gz) total += fs::file_size(f);
  CHECK(total <= limits.max_total_bytes);
  REQUIRE_FALSE(gz.empty());
  // What is left is the newest: the last edge is in the last file.
  const auto last = read_back(gunzip(gz.back()), *site);
  CHECK(last.back().t_ns == traffic(400).back().t_ns);
  fs::remove_all(dir);
}
