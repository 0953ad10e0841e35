#pragma once

// The store a storage test runs on. By default a fresh SQLite database in
// memory; with BERRY_TEST_STORE=postgres (ctest's reruns, label `postgres`)
// a fresh database on this test program's throwaway PostgreSQL, so the same
// test case checks the same repository code on both stores.

#include <string>

#include "storage/database.hpp"

namespace berry::test {

/// True when the tests run on PostgreSQL (BERRY_TEST_STORE=postgres).
bool on_postgres_store();

/// A new, migrated, empty database of the store under test. On PostgreSQL
/// each call creates its own database (copied from a migrated template).
storage::database fresh_database();

/// Where a new, migrated, empty database of the store under test is, for
/// storage::prepare_store: "" on SQLite (berry.db in the data dir), else
/// the connection string of a new PostgreSQL database.
std::string fresh_store_location();

} // namespace berry::test
