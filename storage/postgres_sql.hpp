#pragma once

// One SQL text for both stores. The repositories write their statements once,
// in the dialect both SQLite and PostgreSQL understand (ON CONFLICT ... DO
// UPDATE, excluded.x, ||); this turns such a text into what PostgreSQL takes:
// ?N placeholders become $N, CROSS JOIN ... ON (SQLite's way to fix a join
// order) becomes INNER JOIN, group_concat and char become string_agg and
// chr, and the few statements that need a SQLite function with no twin have
// their PostgreSQL form here.

#include <string>

namespace berry::storage {

/// The PostgreSQL text of `sql`, a statement written for SQLite.
std::string to_postgres(const std::string& sql);

} // namespace berry::storage
