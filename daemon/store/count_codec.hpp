// Compact blobs for count arrays (speed histograms, threshold counts): a
// 15-minute bin holds a few dozen vehicles spread over a narrow speed band,
// so a histogram is stored as the index of its first non-zero count and the
// counts up to its last non-zero one, each as an LEB128 varint: typically
// tens of bytes instead of a kilobyte.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace roadspeed::store {

std::vector<std::uint8_t> encode_counts(std::span<const std::uint64_t> counts);
// Throws StoreError (SQLITE_CORRUPT) on a malformed blob.
std::vector<std::uint64_t> decode_counts(std::span<const std::uint8_t> blob);

}  // namespace roadspeed::store
