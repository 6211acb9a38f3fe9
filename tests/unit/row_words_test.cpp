// The word-at-a-time pieces of the trace reader's fast path
// (drivers/trace/row_words.hpp) against plain definitions.
#include <catch2/catch.hpp>

#include <charconv>
#include <cstdint>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "drivers/trace/row_words.hpp"

using namespace roadspeed;
using namespace roadspeed::trace_detail;

namespace {

// `text` in a buffer padded so that every word load stays inside it.
struct Padded {
  std::string bytes;
  explicit Padded(const std::string& text) : bytes(text + std::string(32, '\xff')) {}
  const char* data() const { return bytes.data(); }
};

bool all_digits(const std::string& s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

TEST_CASE("sixteen digits are checked and converted as from_chars does", "[trace]") {
  std::mt19937_64 rng(23);
  const std::string alphabet = "0123456789/:,\x00\xff a";
  for (int i = 0; i < 200000; ++i) {
    std::string s(16, '0');
    for (char& c : s) c = static_cast<char>('0' + rng() % 10);
    if (i % 2) s[rng() % 16] = alphabet[rng() % alphabet.size()];  // often a non-digit somewhere
    const Padded p(s);
    std::uint64_t value = 0;
    const bool ok = sixteen_digits(p.data(), value);
    REQUIRE(ok == all_digits(s));
    if (ok) {
      std::uint64_t expected = 0;
      std::from_chars(s.data(), s.data() + 16, expected);
      REQUIRE(value == expected);
    }
  }
}

TEST_CASE("nineteen-digit times convert exactly, and those that might pass int64 are declined", "[trace]") {
  std::mt19937_64 rng(29);
  NineteenDigits time19;  // one memo across all, as in a trace
  for (int i = 0; i < 200000; ++i) {
    std::uint64_t t = rng() % 10'000'000'000'000'000'000u;
    if (i % 3 == 0) t = 1'764'158'400'000'000'000 + rng() % 100'000'000'000;  // a trace's times
    std::string s = std::to_string(t);
    s.insert(0, 19 - s.size(), '0');
    if (i % 7 == 0) s[rng() % 19] = static_cast<char>("x:/,"[rng() % 4]);
    const Padded p(s);
    std::uint64_t value = 0;
    const bool ok = time19.parse(p.data(), value);
    const bool expected = all_digits(s) && s.compare(0, 3, "921") <= 0;
    REQUIRE(ok == expected);
    if (ok) REQUIRE(value == t);
  }
}

TEST_CASE("input names are matched with their comma, exactly, however many share a length", "[trace]") {
  std::vector<std::string> names;
  for (int i = 0; i < 40; ++i) names.push_back("in" + std::to_string(100 + i).substr(1));  // in00..in39
  names.insert(names.end(), {"", "a", "lane1_a", "lane1_b", "lane2_a", "lane2_b", "loop_a_2", "fifteen_bytes__",
                             "sixteen_bytes___", "in05" /* repeated: the first wins */});
  std::vector<std::pair<std::string_view, InputId>> entries;
  for (std::size_t i = 0; i < names.size(); ++i) entries.emplace_back(names[i], InputId(i));
  const ShortNames table(entries);
  for (std::size_t i = 0; i < names.size(); ++i) {
    const Padded row(names[i] + ",1\n");
    const ShortNames::Match* m = table.find(row.data());
    CAPTURE(names[i]);
    if (names[i].size() > ShortNames::kMaxSize) {
      CHECK(m == nullptr);  // the general lookup's job
      continue;
    }
    REQUIRE(m != nullptr);
    CHECK(m->size == names[i].size());
    CHECK(names[m->id] == names[i]);
    CHECK(m->id == (names[i] == "in05" ? 5 : i));
  }
  // Near misses: a byte changed, cut short, run on, no comma, stray bytes.
  for (const std::string& bad : std::vector<std::string>{"in40,", "in0,", "in000,", "in00x,", "lane1_c,", "lane1_a_,", "lane1_a", "lane1_",
                                 "loop_a_3,", "fifteen_bytes_,", "\xff\xff\xff\xff\xff\xff\xff\xff", "IN00,"}) {
    CAPTURE(bad);
    CHECK(table.find(Padded(bad).data()) == nullptr);
  }
  std::mt19937_64 rng(31);
  for (int i = 0; i < 100000; ++i) {
    std::string junk(8, ' ');
    for (char& c : junk) c = static_cast<char>(rng());
    const ShortNames::Match* m = table.find(Padded(junk).data());
    if (m != nullptr) CHECK(junk.substr(0, m->size + 1) == names[m->id] + ",");
  }
}
