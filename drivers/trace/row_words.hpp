// Private to drivers/trace: the word-at-a-time pieces of the trace reader's
// fast path (trace_reader.cpp), which reads the common row straight from
// the buffer eight bytes at a time. Inline, because they are the inner loop
// of a replay: a few dozen instructions per row in all.
// Little-endian only (x86-64, arm64); elsewhere the fast path is skipped.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <vector>

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

// Times since 2001 (until 2286) have exactly 19 digits, and a trace's times
// are sorted: the first eight digits change once in 100 s, so their value
// is kept with their text, and a row checks and converts the other eleven.
// (Keeping eleven does not pay: on a loop site they change at most rows.)
class NineteenDigits {
 public:
  // The 19 digits at `p` (readable up to p + 19), false if any is not one.
  bool parse(const char* p, std::uint64_t& value) {
    const std::uint64_t head = load8(p);        // digits 0..7
    const std::uint64_t middle = load8(p + 8);  // digits 8..15
    const std::uint64_t tail = load8(p + 11);   // digits 11..18
    if (head != head_text_) {
      if (non_digits(head) != 0) return false;
      head_text_ = head;
      head_value_ = eight_digits(head) * 100'000'000'000;
    }
    if ((non_digits(middle) | non_digits(tail)) != 0) return false;
    value = head_value_ + three_digits(middle) * 100'000'000 + eight_digits(tail);
    return true;
  }

 private:
  std::uint64_t head_text_ = kOnes * '0';  // "00000000", whose value is 0
  std::uint64_t head_value_ = 0;
};

// Matches an input's name and the ',' after it at the start of a field, as
// masked words: no search for the comma, no hashing. A site has a handful
// of inputs, so a scan is the fastest lookup; names of up to 7 bytes (one
// word with their ',') are scanned first, at three instructions each. A
// match is exact whatever the order, since no name holds a ','. Names of
// up to 15 bytes; longer ones are left to the caller's general lookup.
class ShortNames {
 public:
  static constexpr std::size_t kMaxSize = 15;

  struct Match {
    InputId id;
    std::uint32_t size;  // of the name, without the ','
  };

  void add(std::string_view name, InputId id) {
    if (name.size() > kMaxSize) return;
    char text[16] = {};
    name.copy(text, name.size());
    text[name.size()] = ',';
    const std::size_t bytes = name.size() + 1;
    const Match match{id, static_cast<std::uint32_t>(name.size())};
    if (bytes <= 8) {
      const std::uint64_t mask = low_bytes_mask(bytes);
      one_word_.push_back({load8(text) & mask, mask, match});
    } else {
      const std::uint64_t mask = low_bytes_mask(bytes - 8);
      two_words_.push_back({load8(text), load8(text + 8) & mask, mask, match});
    }
  }

  // The input whose name and ',' start at `p`, readable up to p + 16;
  // nullptr if none.
  const Match* find(const char* p) const {
    const std::uint64_t w0 = load8(p);
    for (const OneWord& e : one_word_) {
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
  std::vector<OneWord> one_word_;
  std::vector<TwoWords> two_words_;
};

}  // namespace roadspeed::trace_detail
