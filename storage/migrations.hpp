#pragma once

// The schema as a numbered list of migrations. Each runs once, in order, in
// its own transaction; PRAGMA user_version records the last one applied.

#include <vector>

#include "storage/database.hpp"

namespace berry::storage {

/// One step of the schema.
struct migration {
  int version;
  const char* name;
  const char* sql;
};

/// Every migration, in order; versions are 1, 2, 3 ...
const std::vector<migration>& migrations();

/// The version recorded in the database (0 for a new one).
int schema_version(database& db);

/// Applies the migrations not yet applied; returns the version reached.
/// Running it again is a no-op. Throws db_error (nothing half-applied).
int migrate(database& db);

} // namespace berry::storage
