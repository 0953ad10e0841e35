#include "storage/cart_repo.hpp"

#include <catch2/catch.hpp>

#include "storage/catalog_repo.hpp"
#include "storage/migrations.hpp"
#include "support/test_store.hpp"

using namespace berry;
using namespace berry::storage;

namespace {

// A migrated database with two customers and three products, so that the
// foreign keys of cart_lines hold.
database shop() {
  auto db = test::fresh_database();
  db.exec("INSERT INTO users (id, email, name, role, password_hash,"
          " created_at) VALUES"
          " ('u-1', 'anna@example.ru', 'Анна', 'customer', 'x', 1),"
          " ('u-2', 'boris@example.ru', 'Борис', 'customer', 'x', 1)");
  execute(db, upsert_category({"c", "Дом", "", 0}));
  for (auto id : {"p-1", "p-2", "p-3"})
    execute(db, upsert_product({id, "Товар", "", "c", 10000, 1}));
  return db;
}

} // namespace

TEST_CASE("a cart reads back its lines ordered by product") {
  auto db = shop();
  execute(db, put_cart_line("u-1", "p-3", 2));
  execute(db, put_cart_line("u-1", "p-1", 5));
  auto lines = load_cart(db, "u-1");
  REQUIRE(lines.size() == 2);
  CHECK(lines[0].product_id == "p-1");
  CHECK(lines[0].qty == 5);
  CHECK(lines[1].product_id == "p-3");
  CHECK(lines[1].qty == 2);
}

TEST_CASE("putting a line again replaces its quantity") {
  auto db = shop();
  execute(db, put_cart_line("u-1", "p-2", 1));
  execute(db, put_cart_line("u-1", "p-2", 7));
  auto lines = load_cart(db, "u-1");
  REQUIRE(lines.size() == 1);
  CHECK(lines[0].qty == 7);
}

TEST_CASE("a removed line is gone and the others stay") {
  auto db = shop();
  execute(db, put_cart_line("u-1", "p-1", 1));
  execute(db, put_cart_line("u-1", "p-2", 2));
  execute(db, delete_cart_line("u-1", "p-1"));
  execute(db, delete_cart_line("u-1", "p-3")); // never there: no error
  auto lines = load_cart(db, "u-1");
  REQUIRE(lines.size() == 1);
  CHECK(lines[0].product_id == "p-2");
}

TEST_CASE("clearing a cart leaves other customers' carts alone") {
  auto db = shop();
  execute(db, put_cart_line("u-1", "p-1", 1));
  execute(db, put_cart_line("u-2", "p-1", 3));
  execute(db, clear_cart("u-1"));
  CHECK(load_cart(db, "u-1").empty());
  auto other = load_cart(db, "u-2");
  REQUIRE(other.size() == 1);
  CHECK(other[0].qty == 3);
  CHECK(load_cart(db, "u-nobody").empty());
}

TEST_CASE("the database refuses a quantity outside 1..99 and unknown keys") {
  auto db = shop();
  CHECK_THROWS_AS(execute(db, put_cart_line("u-1", "p-1", 0)), db_error);
  CHECK_THROWS_AS(execute(db, put_cart_line("u-1", "p-1", 100)), db_error);
  CHECK_THROWS_AS(execute(db, put_cart_line("u-1", "p-404", 1)), db_error);
  CHECK_THROWS_AS(execute(db, put_cart_line("u-404", "p-1", 1)), db_error);
  CHECK(load_cart(db, "u-1").empty());
}
