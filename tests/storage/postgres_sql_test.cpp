// One SQL text for both stores: what PostgreSQL is given for a statement
// written for SQLite.

#include <catch2/catch.hpp>

#include "storage/accounts_repo.hpp"
#include "storage/database.hpp"
#include "storage/postgres_sql.hpp"

using namespace berry::storage;

TEST_CASE("?N placeholders become $N, but not inside quoted text") {
  CHECK(to_postgres("SELECT a FROM t WHERE b = ?1 AND c = ?12") ==
        "SELECT a FROM t WHERE b = $1 AND c = $12");
  CHECK(to_postgres("SELECT '?1', \"?2\" FROM t WHERE x = ?3") ==
        "SELECT '?1', \"?2\" FROM t WHERE x = $3");
  CHECK(to_postgres("SELECT 'it''s ?1' WHERE y = ?2") ==
        "SELECT 'it''s ?1' WHERE y = $2");
}

TEST_CASE("SQLite's CROSS JOIN ... ON becomes an INNER JOIN") {
  CHECK(to_postgres("SELECT 1 FROM a CROSS JOIN b ON b.x = a.x") ==
        "SELECT 1 FROM a INNER JOIN b ON b.x = a.x");
}

TEST_CASE("a statement that needs a SQLite function has its own PostgreSQL "
          "form") {
  auto pg = to_postgres(sql::upsert_admin);
  CHECK(pg.find("randomblob") == std::string::npos);
  CHECK(pg.find("$3") != std::string::npos);
}

TEST_CASE("libpq connection strings are told from SQLite paths") {
  CHECK(database::is_postgres_location("postgresql://u@/db?host=/run"));
  CHECK(database::is_postgres_location("postgres://u@h/db"));
  CHECK(database::is_postgres_location("host=/tmp port=5432 dbname=berry"));
  CHECK_FALSE(database::is_postgres_location("data/berry.db"));
  CHECK_FALSE(database::is_postgres_location(":memory:"));
}

TEST_CASE("SQLite functions with a PostgreSQL twin get its name") {
  CHECK(
      to_postgres("SELECT group_concat(a || char(31) || b, char(30)) FROM t") ==
      "SELECT string_agg(a || chr(31) || b, chr(30)) FROM t");
}
