#include "daemon/store/count_codec.hpp"

#include <sqlite3.h>

#include "daemon/store/sqlite_db.hpp"

namespace roadspeed::store {
namespace {

// A count of indices beyond this is no histogram of ours: a corrupt blob.
constexpr std::uint64_t max_decoded_counts = 1u << 16;

void put_varint(std::vector<std::uint8_t>& out, std::uint64_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<std::uint8_t>(v | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<std::uint8_t>(v));
}

std::uint64_t get_varint(std::span<const std::uint8_t> blob, std::size_t& pos) {
  std::uint64_t v = 0;
  for (unsigned shift = 0; shift < 64; shift += 7) {
    if (pos >= blob.size()) break;
    const std::uint8_t b = blob[pos++];
    v |= std::uint64_t{b & 0x7fu} << shift;
    if ((b & 0x80) == 0) return v;
  }
  throw StoreError(SQLITE_CORRUPT, "malformed count blob");
}

}  // namespace

std::vector<std::uint8_t> encode_counts(std::span<const std::uint64_t> counts) {
  std::size_t lo = 0;
  std::size_t hi = counts.size();
  while (lo < hi && counts[lo] == 0) ++lo;
  while (hi > lo && counts[hi - 1] == 0) --hi;
  std::vector<std::uint8_t> out;
  put_varint(out, lo);
  put_varint(out, hi - lo);
  for (std::size_t i = lo; i < hi; ++i) put_varint(out, counts[i]);
  return out;
}

std::vector<std::uint64_t> decode_counts(std::span<const std::uint8_t> blob) {
  if (blob.empty()) return {};
  std::size_t pos = 0;
  const std::uint64_t lo = get_varint(blob, pos);
  const std::uint64_t n = get_varint(blob, pos);
  if (lo + n > max_decoded_counts) throw StoreError(SQLITE_CORRUPT, "count blob out of range");
  std::vector<std::uint64_t> counts(lo + n, 0);
  for (std::uint64_t i = 0; i < n; ++i) counts[lo + i] = get_varint(blob, pos);
  if (pos != blob.size()) throw StoreError(SQLITE_CORRUPT, "trailing bytes in count blob");
  return counts;
}

}  // namespace roadspeed::store
