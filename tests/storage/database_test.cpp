#include "storage/database.hpp"

#include <catch2/catch.hpp>

using namespace berry;
using namespace berry::storage;

namespace {

database scratch() {
  auto db = database::open(":memory:");
  db.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, n INTEGER,"
          " r REAL, s TEXT, u TEXT UNIQUE, c INTEGER CHECK (c >= 0))");
  return db;
}

int64_t count_rows(database& db) {
  auto stmt = db.prepare("SELECT count(*) FROM t");
  REQUIRE(stmt.step());
  return stmt.col_int(0);
}

} // namespace

TEST_CASE("a statement gives back every value bound to it") {
  auto db = scratch();
  auto ins = db.prepare("INSERT INTO t (n, r, s, u) VALUES (?1, ?2, ?3, ?4)");
  ins.bind(1, int64_t{1} << 40).bind(2, 2.5).bind(3, "платье").bind(4, nullptr);
  CHECK_FALSE(ins.step());
  ins.reset();
  ins.bind_all({db_value::of(int64_t{-7}), db_value::of(0.25),
                db_value::of(std::string{"a\0b", 3}), db_value::null()});
  ins.run();
  auto sel = db.prepare("SELECT n, r, s, u FROM t ORDER BY id");
  REQUIRE(sel.step());
  CHECK(sel.col_int(0) == (int64_t{1} << 40));
  CHECK(sel.col_real(1) == 2.5);
  CHECK(sel.col_text(2) == "платье");
  CHECK(sel.col_null(3));
  REQUIRE(sel.step());
  CHECK(sel.col_int(0) == -7);
  CHECK(sel.col_text(2) == std::string("a\0b", 3));
  CHECK_FALSE(sel.step());
}

TEST_CASE("a refused CHECK or UNIQUE is reported as a constraint error") {
  auto db = scratch();
  db.exec("INSERT INTO t (u, c) VALUES ('x', 1)");
  auto ins = db.prepare("INSERT INTO t (u, c) VALUES (?1, ?2)");
  ins.bind(1, "y").bind(2, -1);
  try {
    ins.step();
    FAIL("a negative c was stored");
  } catch (const db_error& e) {
    CHECK(e.is_constraint());
    CHECK(std::string{e.what()}.find("CHECK") != std::string::npos);
  }
  ins.reset();
  ins.bind(1, "x").bind(2, 1);
  CHECK_THROWS_MATCHES(ins.step(), db_error,
                       Catch::Predicate<db_error>([](const db_error& e) {
                         return e.is_constraint();
                       }));
  CHECK(count_rows(db) == 1);
}

TEST_CASE("bad SQL and a wrong number of arguments are errors, not crashes") {
  auto db = scratch();
  CHECK_THROWS_AS(db.prepare("SELEC 1"), db_error);
  CHECK_THROWS_AS(db.exec("INSERT INTO nowhere VALUES (1)"), db_error);
  try {
    db.prepare("SELEC 1");
  } catch (const db_error& e) {
    CHECK_FALSE(e.is_constraint());
  }
  auto stmt = db.prepare("SELECT ?1 + ?2");
  CHECK_THROWS_AS(stmt.bind_all({db_value::of(int64_t{1})}), db_error);
  CHECK_THROWS_AS(db.set_synchronous("full; DROP TABLE t"), db_error);
  db.set_synchronous("normal");
}

TEST_CASE("a transaction not committed leaves nothing behind") {
  auto db = scratch();
  {
    transaction tx{db};
    db.exec("INSERT INTO t (n) VALUES (1)");
    CHECK(db.in_transaction());
  }
  CHECK_FALSE(db.in_transaction());
  CHECK(count_rows(db) == 0);
  {
    transaction tx{db};
    db.exec("INSERT INTO t (n) VALUES (2)");
    tx.commit();
  }
  CHECK(count_rows(db) == 1);
}

TEST_CASE("a savepoint rolled back undoes only what came after it") {
  auto db = scratch();
  transaction tx{db};
  db.exec("INSERT INTO t (n) VALUES (1)");
  {
    savepoint sp{db, "inner"};
    db.exec("INSERT INTO t (n) VALUES (2)");
  }
  {
    savepoint sp{db, "kept"};
    db.exec("INSERT INTO t (n) VALUES (3)");
    sp.release();
  }
  tx.commit();
  auto sel = db.prepare("SELECT group_concat(n) FROM (SELECT n FROM t"
                        " ORDER BY n)");
  REQUIRE(sel.step());
  CHECK(sel.col_text(0) == "1,3");
  CHECK_THROWS_AS(savepoint(db, "x; DROP TABLE t"), db_error);
}

TEST_CASE("statements from the cache run again and again with new values") {
  auto db = scratch();
  statement_cache cache{db};
  for (int i = 0; i < 3; ++i)
    cache.execute(
        {"INSERT INTO t (n) VALUES (?1)", {db_value::of(int64_t{i})}});
  CHECK(cache.size() == 1);
  CHECK(count_rows(db) == 3);
  CHECK_THROWS_AS(cache.execute({"INSERT INTO t (c) VALUES (?1)",
                                 {db_value::of(int64_t{-1})}}),
                  db_error);
  cache.execute({"INSERT INTO t (c) VALUES (?1)", {db_value::of(int64_t{4})}});
  CHECK(count_rows(db) == 4);
}
