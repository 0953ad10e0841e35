#pragma once

// Where shards go: rendezvous (highest random weight) hashing over the live
// nodes. Pure functions, the same on every node and in every build, so any
// two nodes that see the same members agree without talking.
//
// Berry moves a shard only when its owner leaves (its lease expires or it
// gives the shard up): a node that joins takes shards nobody owns, never
// one that is owned. Rendezvous hashing makes that cheap: when a node
// leaves, only its own shards get a new preferred owner.

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace berry::cluster {

/// The weight of `node` for `shard`; the highest weight wins. Stable across
/// processes and platforms (FNV-1a with a 64-bit finaliser, not std::hash).
uint64_t rendezvous_weight(std::string_view node, std::string_view shard);

/// The node among `live` that should own `shard`, or "" when none is live.
/// Ties (practically never) go to the smaller name.
std::string preferred_owner(const std::vector<std::string>& live,
                            std::string_view shard);

/// The shards `me` should claim now: those whose owner (in `owners`, shard
/// -> node) is missing or not live, and whose preferred owner among `live`
/// is `me`. A shard with a live owner is never taken, whoever prefers it.
std::vector<std::string>
shards_to_claim(const std::string& me, const std::vector<std::string>& live,
                const std::vector<std::string>& shards,
                const std::map<std::string, std::string>& owners);

/// The number a shard is fenced under in PostgreSQL's shard_owner (its
/// bigint key): a stable 62-bit hash of the shard's id, never 0 (the shard
/// of a single node). Two ids of one cluster that collide are refused by
/// distinct_fence_keys.
int64_t fence_key(std::string_view shard);

/// True when no two of `shards` share a fence key.
bool distinct_fence_keys(const std::vector<std::string>& shards);

} // namespace berry::cluster
