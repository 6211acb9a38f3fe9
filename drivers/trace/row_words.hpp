// Private to drivers/trace: the word-at-a-time pieces of the trace reader's
// fast path (trace_reader.cpp), which reads the common row straight from
// the buffer eight bytes at a time. Inline, because they are the inner loop
// of a replay: a few dozen instructions per row in all.
// Little-endian only (x86-64, arm64); elsewhere the fast path is skipped.
#pragma once

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "drivers/edge.hpp"

namespace roadspeed::trace_detail {

inline constexpr bool kFastPath = std::endian::native == std::endian::little;
inline constexpr std::uint64_t kOnes = 0x0101010101010101;

inline std::uint64_t load8(const char* p) {
  std::uint64_t x;
  std::memcpy(&x, p, sizeof x);
  return x;
}

inline std::uint64_t low_bytes_mask(std::size_t n) {
  return n >= 8 ? ~std::uint64_t{0} : (std::uint64_t{1} << (8 * n)) - 1;
}

// Non-zero where a byte of `x` is not an ASCII digit (a carry out of a byte
// >= 0xFA only disturbs bytes after it, and that byte is itself flagged).
inline std::uint64_t non_digits(std::uint64_t x) {
  return ((x & (kOnes * 0xF0)) ^ (kOnes * 0x30)) | (((x + kOnes * 0x06) & (kOnes * 0xF0)) ^ (kOnes * 0x30));
}

// Index of the first byte of `x` that is not an ASCII digit, 8 if none.
inline std::size_t first_non_digit(std::uint64_t x) {
  const std::uint64_t m = non_digits(x);
  return m == 0 ? 8 : static_cast<std::size_t>(std::countr_zero(m)) / 8;
}

// Index of the first `c` in `x`, 8 if none (bytes after a match may be false
// positives; the first is exact).
inline std::size_t first_byte(std::uint64_t x, unsigned char c) {
  const std::uint64_t y = x ^ (kOnes * c);
  const std::uint64_t m = (y - kOnes) & ~y & (kOnes * 0x80);
  return m == 0 ? 8 : static_cast<std::size_t>(std::countr_zero(m)) / 8;
}

// Eight digit values (0..9, not ASCII), first digit in the lowest byte (as
// in fast_float): the number they spell.
inline std::uint64_t eight_digit_values(std::uint64_t x) {
  x = x * 10 + (x >> 8);
  return (((x & 0x000000FF000000FF) * 0x000F424000000064) +
          (((x >> 16) & 0x000000FF000000FF) * 0x0000271000000001)) >> 32;
}

// Eight ASCII digits.
inline std::uint64_t eight_digits(std::uint64_t x) { return eight_digit_values(x - kOnes * '0'); }

// The first three of eight ASCII digits: moved to the top, with zeros
// (digit value 0) before them.
inline std::uint64_t three_digits(std::uint64_t x) { return eight_digit_values((x - kOnes * '0') << 40); }

// A digit run of at most 19 (cannot overflow uint64) at `p`: its length, 0
// when longer (left to the checked path).
inline std::size_t digit_run(const char* p) {
  for (std::size_t block = 0; block < 24; block += 8) {
    const std::size_t n = first_non_digit(load8(p + block));
    if (n < 8) return block + n <= 19 ? block + n : 0;
  }
  return 0;
}

inline std::uint64_t parse_digits(const char* p, std::size_t n) {
  std::uint64_t value = 0;
  std::size_t i = 0;
  for (; i < n % 8; ++i) value = value * 10 + static_cast<unsigned>(p[i] - '0');
  for (; i < n; i += 8) value = value * 100'000'000 + eight_digits(load8(p + i));
  return value;
}

// Index of the first ',' in p[0..31], 32 if none.
inline std::size_t comma_within_32(const char* p) {
  for (std::size_t block = 0; block < 32; block += 8) {
    const std::size_t n = first_byte(load8(p + block), ',');
    if (n < 8) return block + n;
  }
  return 32;
}

// The 16 digits at `p` (readable up to p + 16): false if any byte is not a
// digit, else their value. With SSE2 (every x86-64) all sixteen are
// checked and converted at once: pairs, then fours, then eights, each step
// one multiply-add over all lanes; elsewhere two words of eight.
inline bool sixteen_digits(const char* p, std::uint64_t& value) {
#if defined(__SSE2__)
  const __m128i text = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
  const __m128i v = _mm_sub_epi8(text, _mm_set1_epi8('0'));  // a byte below '0' wraps past 9
  const __m128i nine = _mm_set1_epi8(9);
  if (_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_max_epu8(v, nine), nine)) != 0xFFFF) return false;
  // 16-bit lanes: first digit (the lower byte) * 10 + second.
  const __m128i pairs =
      _mm_add_epi16(_mm_mullo_epi16(_mm_and_si128(v, _mm_set1_epi16(0x00FF)), _mm_set1_epi16(10)), _mm_srli_epi16(v, 8));
  // 32-bit lanes: first pair * 100 + second.
  const __m128i fours = _mm_madd_epi16(pairs, _mm_set1_epi32(0x0001'0064));
  // Back to 16 bits (below 10000: no saturation), then first four * 10000 + second.
  const __m128i eights = _mm_madd_epi16(_mm_packs_epi32(fours, fours), _mm_set1_epi32(0x0001'2710));
  const auto high = static_cast<std::uint32_t>(_mm_cvtsi128_si32(eights));
  const auto low = static_cast<std::uint32_t>(_mm_cvtsi128_si32(_mm_srli_si128(eights, 4)));
  value = std::uint64_t{high} * 100'000'000 + low;
  return true;
#else
  const std::uint64_t high = load8(p);
  const std::uint64_t low = load8(p + 8);
  if ((non_digits(high) | non_digits(low)) != 0) return false;
  value = eight_digits(high) * 100'000'000 + eight_digits(low);
  return true;
#endif
}

// Times since 2001 (until 2286) have exactly 19 digits: the first three,
// which change once in 115 days, are kept with their text, and a row checks
// and converts the other sixteen. A time that could pass the largest int64
// (first digits 922) is left to the general path, which checks its range.
class NineteenDigits {
 public:
  // The 19 digits at `p` (readable up to p + 19), false if any is not one
  // or the first three are above 921.
  bool parse(const char* p, std::uint64_t& value) {
    const std::uint64_t lead = load8(p) & 0xFFFFFF;
    if (lead != lead_text_) {
      if ((non_digits(lead) & 0xFFFFFF) != 0 || three_digits(lead) > 921) return false;
      lead_text_ = lead;
      lead_value_ = three_digits(lead) * 10'000'000'000'000'000;
    }
    std::uint64_t rest = 0;
    if (!sixteen_digits(p + 3, rest)) return false;
    value = lead_value_ + rest;
    return true;
  }

 private:
  std::uint64_t lead_text_ = 0x303030;  // "000", whose value is 0
  std::uint64_t lead_value_ = 0;
};

// Matches an input's name and the ',' after it at the start of a field, as
// masked words: no search for the comma, no string compare. Names of up to
// 7 bytes (one word with their ',') are grouped by length, and each group
// gets a multiplier chosen here that sends each of its names to a slot of
// its own (a perfect hash): one multiply and one compare per row, however
// many inputs the site has. Longer names, up to 15 bytes, are scanned as
// two words; longer still are left to the caller's general lookup. A match
// is exact, so the order of the tries does not matter: no name holds a ','.
class ShortNames {
 public:
  static constexpr std::size_t kMaxSize = 15;

  struct Match {
    InputId id;
    std::uint32_t size;  // of the name, without the ','
  };

  // The site's names in order, none holding ',' or '\n'; of two equal
  // names the first is found, as the general lookup finds it.
  explicit ShortNames(const std::vector<std::pair<std::string_view, InputId>>& names) {
    std::vector<OneWord> one_word;
    for (const auto& [name, id] : names) {
      if (name.size() > kMaxSize) continue;
      char text[16] = {};
      name.copy(text, name.size());
      text[name.size()] = ',';
      const std::size_t bytes = name.size() + 1;
      const Match match{id, static_cast<std::uint32_t>(name.size())};
      if (bytes <= 8) {
        const std::uint64_t mask = low_bytes_mask(bytes);
        one_word.push_back({load8(text) & mask, mask, match});
      } else {
        const std::uint64_t mask = low_bytes_mask(bytes - 8);
        two_words_.push_back({load8(text), load8(text + 8) & mask, mask, match});
      }
    }
    for (std::size_t size = 0; size < 8; ++size) {
      std::vector<OneWord> same;
      for (const OneWord& e : one_word) {
        const bool repeated = std::any_of(same.begin(), same.end(), [&](const OneWord& s) { return s.word == e.word; });
        if (e.match.size == size && !repeated) same.push_back(e);
      }
      if (same.empty()) continue;
      if (auto group = perfect_group(same)) {
        groups_.push_back(std::move(*group));
      } else {
        scanned_.insert(scanned_.end(), same.begin(), same.end());
      }
    }
  }

  // The input whose name and ',' start at `p`, readable up to p + 16;
  // nullptr if none.
  const Match* find(const char* p) const {
    const std::uint64_t w0 = load8(p);
    for (const Group& g : groups_) {
      const std::uint64_t key = w0 & g.mask;
      const OneWord& slot = g.slots[(key * g.multiplier) >> g.shift];
      if (slot.word == key) return &slot.match;
    }
    for (const OneWord& e : scanned_) {
      if ((w0 & e.mask) == e.word) return &e.match;
    }
    if (two_words_.empty()) return nullptr;
    const std::uint64_t w1 = load8(p + 8);
    for (const TwoWords& e : two_words_) {
      if (w0 == e.first && (w1 & e.mask) == e.second) return &e.match;
    }
    return nullptr;
  }

 private:
  struct OneWord {
    std::uint64_t word;  // the name and ',', zeros after
    std::uint64_t mask;
    Match match;
  };
  struct TwoWords {
    std::uint64_t first;   // 8 bytes of the name
    std::uint64_t second;  // the rest and ',', zeros after
    std::uint64_t mask;    // of `second`
    Match match;
  };
  struct Group {  // names of one length
    std::uint64_t mask;
    std::uint64_t multiplier;
    unsigned shift;
    // Every slot holds a real name (a free one a copy of the first), so a
    // row that lands on a free slot simply does not match it.
    std::vector<OneWord> slots;
  };

  // A multiplier giving each name a slot of its own in the smallest table
  // that has one; nullopt if none is found (names then scanned).
  static std::optional<Group> perfect_group(const std::vector<OneWord>& names) {
    for (unsigned bits = 1; bits <= 12; ++bits) {
      if ((std::size_t{1} << bits) < names.size()) continue;
      for (std::uint64_t attempt = 1; attempt <= 64; ++attempt) {
        Group g{names.front().mask, (0x9E3779B97F4A7C15 * attempt) | 1, 64 - bits,
                std::vector<OneWord>(std::size_t{1} << bits, names.front())};
        std::vector<bool> taken(g.slots.size());
        bool perfect = true;
        for (const OneWord& e : names) {
          const std::size_t slot = (e.word * g.multiplier) >> g.shift;
          perfect = perfect && !taken[slot];
          taken[slot] = true;
          g.slots[slot] = e;
        }
        if (perfect) return g;
      }
    }
    return std::nullopt;
  }

  std::vector<Group> groups_;
  std::vector<OneWord> scanned_;
  std::vector<TwoWords> two_words_;
};

}  // namespace roadspeed::trace_detail
