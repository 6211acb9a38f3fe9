// The radar pass journal: rows that read back to the very blocks detection
// closed, the same file rules as the edge journal, and one-line errors.
#include <catch2/catch.hpp>
#include <zlib.h>

#include <algorithm>
#include <bit>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "daemon/journal/edge_journal.hpp"
#include "daemon/journal/journal_coverage.hpp"
#include "daemon/journal/pass_record.hpp"
#include "drivers/trace/trace_reader.hpp"
#include "journal_test_files.hpp"
#include "pass_builder.hpp"

using namespace roadspeed;
namespace fs = std::filesystem;

namespace {

constexpr std::int64_t t0_ns = 1764158400'000000000;  // 2025-11-26T12:00:00Z

// A pass of `n` blocks of 16 cycles near 2 kHz, sweeping down, closing 40 ms after its last block.
RadarPass pass_at(std::int64_t t_ns, std::size_t n, std::uint16_t detector, int vote) {
  RadarPass p;
  p.detector = detector;
  std::int64_t at = t_ns;
  for (std::size_t i = 0; i < n; ++i) {
    RadarBlock b;
    b.first_ns = at + (i == 3 ? 31'000 : 0);  // one block after a gap
    b.f_hz = 2000.0 / 3.0 - static_cast<double>(i) * 1.1;
    b.last_ns = b.first_ns + static_cast<std::int64_t>(16 / b.f_hz * 1e9);
    b.vote = vote;
    b.regular = true;
    b.fill = 1.0;
    p.segment.blocks.push_back(b);
    p.segment.vote += vote;
    at = b.last_ns;
  }
  p.closed_ns = at + 40'000'000;
  return p;
}

bool same_blocks(const RadarSegment& a, const RadarSegment& b) {
  return a.vote == b.vote && std::equal(a.blocks.begin(), a.blocks.end(), b.blocks.begin(), b.blocks.end(),
                                        [](const RadarBlock& x, const RadarBlock& y) {
                                          return x.first_ns == y.first_ns && x.last_ns == y.last_ns &&
                                                 std::bit_cast<std::uint64_t>(x.f_hz) ==
                                                     std::bit_cast<std::uint64_t>(y.f_hz) &&
                                                 x.vote == y.vote;
                                        });
}

std::string read_error(const std::string& text, const Site& site) {
  try {
    read_pass_rows(text, "p.csv", site, [](RadarPass&&) {});
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("radar passes are journaled one line each and read back to the very same blocks", "[journal]") {
  const fs::path dir = test::fresh_journal_dir("passes", "roundtrip");
  auto site = std::make_shared<const Site>(test::two_loop_site_with_radar());
  std::vector<RadarPass> written;
  for (int i = 0; i < 20; ++i) written.push_back(pass_at(t0_ns + i * 3'000'000'000LL, 6 + i, 1, i % 2 ? 16 : -15));
  {
    EdgeJournal journal(dir, site, JournalLimits{});
    std::vector<RadarPass> batch = written;
    journal.append_passes(batch, site, 0);
    CHECK(batch.empty());
    journal.close(t0_ns + 100'000'000'000LL);
  }
  const auto plain = test::files_ending(dir, ".passes.csv");
  REQUIRE(plain.size() == 1);
  CHECK(plain[0].filename() == "passes-20251126T120000Z.passes.csv");
  const JournalIndex index = index_pass_journal(dir, *site, {t0_ns, t0_ns + 200'000'000'000LL});
  REQUIRE(index.segments.size() == 1);
  CHECK(index.segments[0].end_marked);
  CHECK(index.covered == std::vector<TimeSpan>{{written.front().closed_ns, t0_ns + 100'000'000'000LL}});
  std::vector<RadarPass> back;
  for_each_pass(index.segments[0], *site, {t0_ns, t0_ns + 200'000'000'000LL},
                [&](RadarPass&& p) { back.push_back(std::move(p)); });
  REQUIRE(back.size() == written.size());
  for (std::size_t i = 0; i < back.size(); ++i) {
    CHECK(back[i].detector == 1);
    CHECK(back[i].closed_ns == written[i].closed_ns);
    CHECK(same_blocks(back[i].segment, written[i].segment));
  }
  fs::remove_all(dir);
}

TEST_CASE("pass files rotate by age, compressed, and join without a gap; a clock step starts a new one", "[journal]") {
  const fs::path dir = test::fresh_journal_dir("passes", "rotate");
  auto site = std::make_shared<const Site>(test::two_loop_site_with_radar());
  JournalLimits limits;
  limits.max_file_age = std::chrono::seconds(60);
  std::int64_t last_ns = 0;
  {
    EdgeJournal journal(dir, site, limits);
    for (int i = 0; i < 60; ++i) {
      std::vector<RadarPass> one{pass_at(t0_ns + i * 5'000'000'000LL, 8, 1, 16)};
      last_ns = one[0].closed_ns;
      journal.append_passes(one, site, 0);
    }
    journal.close(last_ns);
  }
  EdgeJournal(dir, site, limits).close();  // the next start compresses the last file
  CHECK(test::files_ending(dir, ".passes.csv").empty());
  CHECK(test::files_ending(dir, ".passes.csv.gz").size() == 5);
  CHECK(test::files_ending(dir, ".trace.csv.gz").empty());  // no edge came
  const JournalIndex index = index_pass_journal(dir, *site, {t0_ns, t0_ns + 3600'000000000LL});
  CHECK(index.segments.size() == 5);
  REQUIRE(index.covered.size() == 1);
  CHECK(index.covered[0].end_ns == last_ns);

  SECTION("a clock step") {
    fs::remove_all(dir);
    {
      EdgeJournal journal(dir, site, limits);
      std::vector<RadarPass> a{pass_at(t0_ns, 8, 1, 16)}, b{pass_at(t0_ns + 2'000'000'000, 8, 1, 16)};
      journal.append_passes(a, site, 0);
      journal.clock_step(-0.5);
      journal.append_passes(b, site, -500'000'000);
    }
    EdgeJournal(dir, site, limits).close();
    const auto gz = test::files_ending(dir, ".passes.csv.gz");
    REQUIRE(gz.size() == 2);
    const JournalIndex stepped = index_pass_journal(dir, *site, {t0_ns - 60'000000000LL, t0_ns + 60'000000000LL});
    REQUIRE(stepped.segments.size() == 2);
    std::vector<RadarPass> back;
    for_each_pass(stepped.segments[1], *site, {0, t0_ns * 2}, [&](RadarPass&& p) { back.push_back(std::move(p)); });
    REQUIRE(back.size() == 1);
    CHECK(back[0].segment.first_ns() == t0_ns + 1'500'000'000);  // moved by the step
  }
  fs::remove_all(dir);
}

TEST_CASE("a malformed or unknown pass row is a one-line FILE:LINE error", "[journal]") {
  const Site site = test::two_loop_site_with_radar();
  const std::string head = "# roadspeed-passes 1\n# site: x\ntime_ns,radar,first_ns,blocks\n";
  const std::string good = "1764158401000000000,r1,1764158400000000000,0:8000000:2000:16 0:8000000:2001.5:-16\n";
  CHECK(read_error(head + good, site).empty());
  CHECK(read_error(head + good + "1764158400900000000,r1,1764158400000000000,0:8000000:2000:16\n", site) ==
        "p.csv:5: time_ns goes backwards");
  CHECK(read_error(head + "1764158401000000000,r9,1764158400000000000,0:8000000:2000:16\n", site) ==
        "p.csv:4: unknown radar 'r9' (not in the site file)");
  CHECK(read_error(head + "1764158401000000000,r1,1764158400000000000,0:8000000:2000\n", site) ==
        "p.csv:4: bad block '0:8000000:2000' (gap_ns:span_ns:f_hz:vote)");
  CHECK(read_error(head + "1764158401000000000,r1,1764158400000000000,0:0:2000:1\n", site) ==
        "p.csv:4: bad block '0:0:2000:1' (gap_ns:span_ns:f_hz:vote)");
  CHECK(read_error(head + "1764158401000000000,r1,1764158400000000000,0:8000000:nan:1\n", site) ==
        "p.csv:4: bad block '0:8000000:nan:1' (gap_ns:span_ns:f_hz:vote)");
  CHECK(read_error(head + "1764158401000000000,r1,1764158400000000000\n", site) ==
        "p.csv:4: expected 4 fields: time_ns,radar,first_ns,blocks");
  CHECK(read_error(head + "x,r1,1764158400000000000,0:8000000:2000:16\n", site) == "p.csv:4: bad time_ns 'x'");
  CHECK(read_error(head + "1764158400000000000,r1,1764158400000000000,0:8000000:2000:16\n", site) ==
        "p.csv:4: the pass ends after time_ns, when it closed");
  CHECK(read_error("# roadspeed-trace 1\n", site) ==
        "p.csv:1: not a radar pass journal: the first line must be '# roadspeed-passes 1'");
  CHECK(read_error("# roadspeed-passes 1\n" + good, site) ==
        "p.csv:2: expected the column line 'time_ns,radar,first_ns,blocks'");
}

TEST_CASE("radar inputs' raw edges join the edge journal only when configured", "[journal]") {
  const fs::path dir = test::fresh_journal_dir("passes", "raw");
  auto site = std::make_shared<const Site>(test::two_loop_site_with_radar());
  const std::vector<Edge> edges{{t0_ns, 0, 1}, {t0_ns + 1000, 2, 1}, {t0_ns + 2000, 2, 0}, {t0_ns + 3000, 0, 0}};
  for (const bool raw : {false, true}) {
    fs::remove_all(dir);
    {
      EdgeJournal journal(dir, site, JournalLimits{}, raw);
      journal.append(edges);
    }
    const auto plain = test::files_ending(dir, ".trace.csv");
    REQUIRE(plain.size() == 1);
    std::ifstream in(plain[0]);
    const auto reader = make_trace_reader(in, plain[0].string(), *site);
    std::size_t n = 0;
    while (reader->next()) ++n;
    CHECK(n == (raw ? 4u : 2u));
  }
  fs::remove_all(dir);
}
