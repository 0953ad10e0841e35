#pragma once

// The read pool's SQLite connections: each read-pool thread keeps its own
// read-only connection, opened on first use.

#include <string>

#include "storage/database.hpp"

namespace berry::http {

/// This thread's read-only connection to `path`.
storage::database& read_connection(const std::string& path);

} // namespace berry::http
