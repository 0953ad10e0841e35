// Units sold: what warehouses' commits took off the shelf and no restock
// brought back, summed over warehouses, however many orders made it.

#include "storage/search_popular.hpp"

#include <catch2/catch.hpp>

#include "storage/database.hpp"
#include "storage/migrations.hpp"
#include "storage/sqlite_commands.hpp"
#include "support/test_store.hpp"

using namespace berry;
using namespace berry::storage;

namespace {

database make_db() {
  auto db = berry::test::fresh_database();
  db.exec("INSERT INTO categories (id, name) VALUES ('c', 'Дом');"
          "INSERT INTO products (id, title, description, category_id, price, "
          "created_at) VALUES ('p-1', 'Чайник', '', 'c', 100, 0);"
          "INSERT INTO products (id, title, description, category_id, price, "
          "created_at) VALUES ('p-2', 'Кружка', '', 'c', 100, 0);"
          "INSERT INTO products (id, title, description, category_id, price, "
          "created_at) VALUES ('p-3', 'Ложка', '', 'c', 100, 0);"
          "INSERT INTO warehouses (id, name, lat, lon) VALUES"
          " ('w-1', 'Подольск', 55.4, 37.5);"
          "INSERT INTO warehouses (id, name, lat, lon) VALUES"
          " ('w-2', 'Коледино', 55.3, 37.6);");
  return db;
}

/// Stores `x` as the journal does.
void run(database& db, const journal_command& x) {
  for (auto& stmt : statements_for(x))
    execute(db, stmt);
}

/// `qty` of `product` in `warehouse`: received, then moved by a sale of
/// `sold` (a commit: off the shelf and out of the reserve) or back by a
/// restock (negative).
void received(database& db, const std::string& warehouse,
              const std::string& product, int64_t qty) {
  run(db, stock_changed{{warehouse, product, qty, 0}, 0});
}

void sale(database& db, const std::string& warehouse,
          const std::string& product, int64_t qty) {
  run(db, stock_changed{{warehouse, product, 0, qty}, 0});       // reserved
  run(db, stock_changed{{warehouse, product, -qty, -qty}, qty}); // committed
}

void restock(database& db, const std::string& warehouse,
             const std::string& product, int64_t qty) {
  run(db, stock_changed{{warehouse, product, qty, 0}, -qty});
}

} // namespace

TEST_CASE("units sold sum every warehouse's sales less what came back, and "
          "leave out what held, was counted in or never sold") {
  auto db = make_db();
  received(db, "w-1", "p-1", 10);
  received(db, "w-2", "p-1", 10);
  received(db, "w-1", "p-2", 10);
  received(db, "w-1", "p-3", 10);
  sale(db, "w-1", "p-1", 2);
  sale(db, "w-2", "p-1", 3);
  sale(db, "w-1", "p-2", 4);
  restock(db, "w-1", "p-2", 3); // a return of three of them
  sale(db, "w-1", "p-3", 1);
  restock(db, "w-1", "p-3", 1); // cancelled after its commit
  // Held and not sold, and an admin's count: no sale.
  run(db, stock_changed{{"w-2", "p-2", 5, 2}, 0});
  auto sold = units_sold(db);
  CHECK(sold.size() == 2);
  CHECK(sold["p-1"] == 5);
  CHECK(sold["p-2"] == 1);
  CHECK(sold.count("p-3") == 0);
}
