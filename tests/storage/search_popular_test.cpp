// Units sold: only orders that were paid and stayed paid count.

#include "storage/search_popular.hpp"

#include <catch2/catch.hpp>

#include "storage/database.hpp"
#include "storage/migrations.hpp"
#include "support/test_store.hpp"

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
          "INSERT INTO users VALUES ('u', 'a@b.ru', 'Аня', 'customer', 'h', 0, "
          "0);");
  return db;
}

void order(database& db, const std::string& id, const std::string& status,
           const std::string& product, int qty) {
  db.exec("INSERT INTO orders (id, user_id, status, total, lat, lon,"
          " address_text, payment_token, idempotency_key, request_hash,"
          " created_at, updated_at) VALUES ('" +
          id + "', 'u', '" + status + "', 100, 55.7, 37.6, 'x', 'tok_ok', '" +
          id + "', 'h', 0, 0);" +
          "INSERT INTO order_lines (order_id, line_no, product_id, qty,"
          " unit_price) VALUES ('" +
          id + "', 1, '" + product + "', " + std::to_string(qty) + ", 100);");
}

} // namespace

TEST_CASE("units sold count paid orders on their way or delivered, not "
          "cancelled, returned or unpaid ones") {
  auto db = make_db();
  order(db, "o-1", "paid", "p-1", 2);
  order(db, "o-2", "delivered", "p-1", 3);
  order(db, "o-3", "picked_up", "p-2", 1);
  order(db, "o-4", "cancelled", "p-2", 9);
  order(db, "o-5", "returned", "p-3", 9);
  order(db, "o-6", "pending", "p-3", 9);
  auto sold = units_sold(db);
  CHECK(sold.size() == 2);
  CHECK(sold["p-1"] == 5);
  CHECK(sold["p-2"] == 1);
  CHECK(sold.count("p-3") == 0);
}
