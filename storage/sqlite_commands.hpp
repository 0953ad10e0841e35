#pragma once

// The SQLite backend of the journal's commands: how each typed command
// (protocols/journal_commands.hpp) becomes statements. Each kind is mapped
// beside the repository that owns its table (statements_for in order_repo,
// stock_repo, cart_repo, catalog_repo, accounts_repo, payment_repo); this is
// the one entry point the journal writer calls. Another backend (PostgreSQL)
// provides its own apply with the same shape.

#include <cstddef>
#include <vector>

#include "protocols/journal_commands.hpp"
#include "storage/database.hpp"

namespace berry::storage {

namespace sql {

/// Args: payload.
inline constexpr const char* insert_probe =
    "INSERT INTO journal_probe (payload) VALUES (?1)";

} // namespace sql

/// A row of journal_probe.
std::vector<db_statement> statements_for(const probe_written& x);

/// The statements that store `cmd`, in order.
std::vector<db_statement> statements_for(const journal_command& cmd);

/// Runs what `cmd` stores on the cache's connection. Throws db_error (a
/// constraint, I/O, a busy database).
void apply(statement_cache& cache, const journal_command& cmd);

} // namespace berry::storage
