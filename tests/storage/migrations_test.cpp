#include "storage/migrations.hpp"

#include <catch2/catch.hpp>

#include "storage/catalog_repo.hpp"
#include "storage/search_popular.hpp"
#include "storage/stock_repo.hpp"

using namespace berry;
using namespace berry::storage;

namespace {

database migrated() {
  auto db = database::open(":memory:");
  migrate(db);
  execute(db, upsert_category({"c1", "Одежда", "", 0}));
  execute(db, upsert_product({"p1", "Платье", "Летнее", "c1", 199900, 1}));
  execute(db, upsert_warehouse({"w1", "Подольск", {55.43, 37.54}}));
  return db;
}

bool refused(database& db, const db_statement& x) {
  try {
    execute(db, x);
    return false;
  } catch (const db_error& e) {
    return e.is_constraint();
  }
}

} // namespace

TEST_CASE("migrations bring a new database to the latest version once") {
  auto db = database::open(":memory:");
  CHECK(schema_version(db) == 0);
  auto latest = migrations().back().version;
  CHECK(migrate(db) == latest);
  CHECK(schema_version(db) == latest);
  // A second run changes nothing and does not fail on existing tables.
  CHECK(migrate(db) == latest);
  auto stmt = db.prepare("SELECT count(*) FROM sqlite_master WHERE name IN"
                         " ('categories', 'products', 'products_fts',"
                         " 'warehouses', 'stock', 'couriers', 'meta',"
                         " 'journal_probe')");
  REQUIRE(stmt.step());
  CHECK(stmt.col_int(0) == 8);
}

TEST_CASE("migration versions are numbered 1, 2, 3 without gaps") {
  int expected = 1;
  for (const auto& m : migrations())
    CHECK(m.version == expected++);
}

TEST_CASE("stock can never go negative") {
  auto db = migrated();
  CHECK(refused(db, put_stock({"w1", "p1", -1, 0})));
  CHECK(refused(db, put_stock({"w1", "p1", 5, -1})));
  CHECK(load_stock(db, "w1").empty());
}

TEST_CASE("a warehouse cannot reserve more than it has on hand") {
  auto db = migrated();
  execute(db, put_stock({"w1", "p1", 5, 5}));
  CHECK(refused(db, put_stock({"w1", "p1", 5, 6})));
  CHECK(refused(db, put_stock({"w1", "p1", 4, 5})));
  auto stock = load_stock(db, "w1");
  REQUIRE(stock.size() == 1);
  CHECK(stock[0].on_hand == 5);
  CHECK(stock[0].reserved == 5);
}

TEST_CASE("a price is never negative and stock needs a known product") {
  auto db = migrated();
  CHECK(refused(db, upsert_product({"p2", "Шарф", "", "c1", -1, 1})));
  CHECK(refused(db, upsert_product({"p3", "Шарф", "", "nowhere", 1, 1})));
  CHECK(refused(db, put_stock({"w1", "unknown", 1, 0})));
  CHECK(load_products(db).size() == 1);
}

namespace {

/// SQLite's plan for `sql`, one step a line.
std::string plan_of(database& db, const std::string& sql) {
  auto stmt = db.prepare("EXPLAIN QUERY PLAN " + sql);
  std::string out;
  while (stmt.step())
    out += stmt.col_text(3) + "\n";
  return out;
}

} // namespace

TEST_CASE("lookups that run per checkout or per start are index searches") {
  auto db = database::open(":memory:");
  migrate(db);
  // The idempotency key of a checkout (storage::find_order_by_key).
  auto by_key = plan_of(db, "SELECT id FROM orders WHERE user_id = ?1"
                            " AND idempotency_key = ?2");
  CHECK(by_key.find("SEARCH orders USING INDEX") != std::string::npos);
  // A warehouse's hold of one order, and the holds it starts from.
  auto hold = plan_of(db, sql::select_warehouse_hold);
  CHECK(hold.find("SCAN") == std::string::npos);
  auto live = plan_of(db, sql::select_live_reservations);
  CHECK(live.find("SEARCH o USING INDEX warehouse_orders_live") !=
        std::string::npos);
  CHECK(live.find("SCAN") == std::string::npos);
}

TEST_CASE("a data dir from before external ids is upgraded, products kept") {
  auto db = database::open(":memory:");
  for (const auto& m : migrations())
    if (m.version < 7)
      db.exec(m.sql);
  db.exec("PRAGMA user_version=6");
  execute(db, upsert_category({"c1", "Одежда", "", 0}));
  execute(db, upsert_product({"p1", "Платье", "Летнее", "c1", 199900, 1}));
  CHECK(migrate(db) == migrations().back().version);
  auto products = load_products(db);
  REQUIRE(products.size() == 1);
  CHECK(products[0].title == "Платье");
  db.exec("UPDATE products SET external_id = 'x-1' WHERE id = 'p1'");
  // Unique: a second product cannot take the same external id.
  execute(db, upsert_product({"p2", "Шарф", "", "c1", 1, 1}));
  CHECK_THROWS_AS(
      db.exec("UPDATE products SET external_id = 'x-1' WHERE id = 'p2'"),
      db_error);
}

TEST_CASE("a data dir from before units sold counts the holds committed so "
          "far") {
  auto db = database::open(":memory:");
  for (const auto& m : migrations())
    if (m.version < 10)
      db.exec(m.sql);
  db.exec("PRAGMA user_version=9");
  execute(db, upsert_category({"c1", "Одежда", "", 0}));
  for (auto* p : {"p1", "p2", "p3"})
    execute(db, upsert_product({p, "Платье", "", "c1", 100, 1}));
  execute(db, upsert_warehouse({"w1", "Подольск", {55.43, 37.54}}));
  execute(db, upsert_warehouse({"w2", "Коледино", {55.3, 37.6}}));
  for (auto* w : {"w1", "w2"})
    for (auto* p : {"p1", "p2", "p3"})
      db.exec(std::string{"INSERT INTO stock VALUES ('"} + w + "', '" + p +
              "', 10, 0)");
  // Committed holds keep their lines; a restocked one has none; a reserved
  // one is not sold yet.
  auto hold = [&](const char* order, const char* w, const char* state,
                  std::vector<std::pair<const char*, int>> lines) {
    db.exec(std::string{"INSERT INTO warehouse_orders VALUES ('"} + order +
            "', '" + w + "', '" + state + "', 0, 0)");
    for (auto& [p, qty] : lines)
      db.exec(std::string{"INSERT INTO reservations VALUES ('"} + order +
              "', '" + w + "', '" + p + "', " + std::to_string(qty) + ", 0)");
  };
  hold("o1", "w1", "committed", {{"p1", 2}, {"p2", 1}});
  hold("o2", "w2", "committed", {{"p1", 3}});
  hold("o3", "w1", "restocked", {});
  hold("o4", "w1", "reserved", {{"p3", 4}});
  CHECK(migrate(db) == migrations().back().version);
  auto sold = units_sold(db);
  CHECK(sold.size() == 2);
  CHECK(sold["p1"] == 5);
  CHECK(sold["p2"] == 1);
  // What sells from now on adds to it.
  execute(db, add_stock({"w1", "p3", -1, 0}, 1));
  CHECK(units_sold(db)["p3"] == 1);
}
