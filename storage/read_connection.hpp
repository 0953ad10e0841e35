#pragma once

// Read-only SQLite connections for worker threads (the edge's search pool,
// the accounts workers): each thread keeps its own, opened on first use.

#include <string>

#include "storage/database.hpp"

namespace berry::storage {

/// This thread's read-only connection to `path`.
database& read_connection(const std::string& path);

/// Asks the database at `path` a trivial question on this thread's read
/// connection (which connects again when the server came back); throws
/// db_error while the database does not answer. For readiness probes.
void probe_database(const std::string& path);

} // namespace berry::storage
