// A PostgreSQL connection outlives its server's restart: the next statement
// sees that the server closed the idle connection, connects again (with the
// session settings of the first connect) and runs there.

#include <cstdint>

#include <catch2/catch.hpp>

#include "storage/database.hpp"
#include "storage/postgres.hpp"
#include "support/postgres_server.hpp"

using namespace berry;
using namespace berry::storage;

namespace {

/// 42, asked of the server (throws what the statement throws).
int64_t one(database& db) {
  auto st = db.prepare("SELECT ?1 + 1");
  st.bind(1, int64_t{41});
  return st.step() ? st.col_int(0) : -1;
}

} // namespace

TEST_CASE("postgres: a connection lost to a restart connects again at the "
          "next statement, read-only still",
          "[postgres]") {
  test::postgres_server server;
  auto db = database::open(server.conninfo(), open_mode::read_only);
  CHECK(one(db) == 42);

  server.stop("fast");
  server.start();
  // It runs on a new connection, read-only as the first was.
  CHECK(one(db) == 42);
  CHECK_THROWS_AS(db.exec("CREATE TABLE t (x bigint)"), db_error);
}

TEST_CASE("postgres: a connection whose server is down says so at each "
          "statement and connects when it is back",
          "[postgres]") {
  test::postgres_server server;
  auto db = database::open(server.conninfo());
  db.exec("CREATE TABLE t (x bigint)");
  server.stop("fast");
  CHECK_THROWS_AS(one(db), db_error); // no server to connect to
  CHECK_THROWS_AS(one(db), db_error); // still none
  server.start();
  CHECK(one(db) == 42);
  db.exec("INSERT INTO t VALUES (1)");
  auto st = db.prepare("SELECT count(*) FROM t");
  REQUIRE(st.step());
  CHECK(st.col_int(0) == 1);
}
