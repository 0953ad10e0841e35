#pragma once

// A hash of bytes that is the same on every node, build and platform
// (unlike std::hash): FNV-1a over the bytes, then splitmix64's finaliser,
// since FNV alone leaves strings that differ only in their last byte too
// close together. Placement (cluster/placement.hpp) and the order shards
// (actors/order_shards.hpp) both stand on it: changing it moves shards.

#include <cstdint>
#include <string_view>

namespace berry {

/// FNV-1a's starting value.
constexpr uint64_t fnv1a_offset = 1469598103934665603ull;

/// FNV-1a of `bytes`, continued from `h`.
constexpr uint64_t fnv1a(uint64_t h, std::string_view bytes) {
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

/// splitmix64's finaliser: spreads every input bit over the output.
constexpr uint64_t mix64(uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

/// The stable hash of `bytes`.
constexpr uint64_t stable_hash(std::string_view bytes) {
  return mix64(fnv1a(fnv1a_offset, bytes));
}

} // namespace berry
