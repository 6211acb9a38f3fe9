// The numbers of the per-vehicle CSV, written straight into a caller's
// buffer: a row is formatted for every vehicle of a long replay, and the
// general-purpose conversions (to_chars, snprintf) cost more than detecting
// the vehicle. Each function writes at `p` and returns the end of what it
// wrote; the caller guarantees the room (the most each can write is given).
// Inline: they are most of a row's cost, and a call each added a third.
#pragma once

#include <bit>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>

namespace roadspeed::csv {

// put_time_ns: any int64 in decimal, as std::to_string writes it.
inline constexpr std::size_t max_time_bytes = 20;

// put_fixed2: two decimals, the same characters as printf's "%.2f" (which
// rounds the exact binary value; a tie, such as 4.625, goes to even). The
// room is that of the largest double: sign, 309 digits, point, two decimals.
inline constexpr std::size_t max_fixed2_bytes = 320;

// The general cases, out of line.
char* put_integer(char* p, std::int64_t v);  // as to_string
char* put_fixed2_exact(char* p, double x);   // as %.2f, for any double

namespace detail {

// Exactly eight digits of v < 10^8, leading zeros kept, as one 8-byte
// store: split into 4-digit halves, then pairs, then digits, all lanes of
// one 64-bit word at a time (each step divides by a constant with a
// multiply and shift that is exact for the lane's range: x * 10486 >> 20 is
// x / 100 below 43699, x * 103 >> 10 is x / 10 below 179).
inline char* put_eight_digits(char* p, std::uint32_t v) {
  const std::uint64_t halves = (v / 10000) | (std::uint64_t{v % 10000} << 32);
  const std::uint64_t hundreds = ((halves * 10486) >> 20) & 0x0000007F0000007F;
  const std::uint64_t pairs = hundreds | ((halves - 100 * hundreds) << 16);
  const std::uint64_t tens = ((pairs * 103) >> 10) & 0x000F000F000F000F;
  const std::uint64_t digits = tens | ((pairs - 10 * tens) << 8);
  std::uint64_t text = digits + 0x3030303030303030;  // first digit in the lowest byte
  if constexpr (std::endian::native == std::endian::big) text = __builtin_bswap64(text);
  std::memcpy(p, &text, 8);
  return p + 8;
}

// "00" to "99", so that two digits are one 2-byte copy.
inline constexpr char digit_pairs[201] =
    "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
    "8081828384858687888990919293949596979899";

// Both digits of v < 100.
inline char* put_pair(char* p, unsigned v) {
  std::memcpy(p, &digit_pairs[2 * v], 2);
  return p + 2;
}

}  // namespace detail

// Epoch nanoseconds from 2001 to 2286 have 19 digits: the first three, then
// two blocks of eight; any other value goes the general way.
inline char* put_time_ns(char* p, std::int64_t t) {
  constexpr std::int64_t nineteen_digits = 1'000'000'000'000'000'000;
  if (t < nineteen_digits) return put_integer(p, t);
  const auto u = static_cast<std::uint64_t>(t);
  const auto high = static_cast<unsigned>(u / 10'000'000'000'000'000);  // 100..922
  const std::uint64_t rest = u % 10'000'000'000'000'000;
  *p++ = static_cast<char>('0' + high / 100);
  p = detail::put_pair(p, high % 100);
  p = detail::put_eight_digits(p, static_cast<std::uint32_t>(rest / 100'000'000));
  return detail::put_eight_digits(p, static_cast<std::uint32_t>(rest % 100'000'000));
}

// Scaled to hundredths and rounded to nearest: `scaled` carries at most one
// rounding error of the multiplication (relative 2^-53, under 1e-8 of a
// hundredth below 1e8), so it decides every value whose hundredths are not
// within 1e-6 of a half; those few, and the large, take the exact path.
// Truncating a non-negative double below 2^32 is its floor.
inline char* put_fixed2(char* p, double x) {
  const double scaled = std::fabs(x) * 100.0;
  if (!(scaled < 1e8)) return put_fixed2_exact(p, x);
  const auto whole = static_cast<std::uint32_t>(scaled);
  const double frac = scaled - whole;
  if (std::fabs(frac - 0.5) < 1e-6) return put_fixed2_exact(p, x);
  const std::uint32_t hundredths = whole + (frac > 0.5 ? 1 : 0);
  if (std::signbit(x)) *p++ = '-';  // as %.2f: -0.001 and -0.0 give "-0.00"
  const std::uint32_t units = hundredths / 100;
  if (units < 10) {
    *p++ = static_cast<char>('0' + units);
  } else if (units < 100) {
    p = detail::put_pair(p, units);
  } else {
    p = put_integer(p, units);
  }
  *p++ = '.';
  return detail::put_pair(p, hundredths % 100);
}

}  // namespace roadspeed::csv
