#pragma once

// Berry's schema on PostgreSQL: the same numbered migrations as on SQLite
// (storage/migrations.hpp), each in PostgreSQL's own words, recorded in the
// table schema_migrations. Text columns sort as SQLite does (byte order,
// COLLATE "C"), integers are bigint and coordinates double precision, so a
// page of a listing is the same page on either store.
//
// PostgreSQL also holds what only many nodes need: shard_owner, the fence
// that stops a node from writing a shard it no longer owns (berry_fence).

#include <cstdint>
#include <string>
#include <vector>

#include "storage/migrations.hpp"
#include "storage/postgres.hpp"

namespace berry::storage {

/// The PostgreSQL migrations, in order (versions as on SQLite).
const std::vector<migration>& postgres_migrations();

/// The highest migration recorded in `db` (0 on an empty database).
int postgres_schema_version(pg_connection& db);

/// Applies every migration newer than the database's, each in its own
/// transaction under an advisory lock (two nodes starting at once migrate
/// once). Returns the resulting version. Throws pg_error.
int migrate(pg_connection& db);

/// The shard every row belongs to while Berry runs as one node.
inline constexpr int64_t single_node_shard = 0;

} // namespace berry::storage
