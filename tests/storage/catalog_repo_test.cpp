#include "storage/catalog_repo.hpp"

#include <catch2/catch.hpp>

#include "storage/migrations.hpp"
#include "storage/search.hpp"
#include "support/test_store.hpp"

using namespace berry;
using namespace berry::storage;

namespace {

database migrated() {
  auto db = test::fresh_database();
  return db;
}

} // namespace

TEST_CASE("categories come back by position, roots with no parent") {
  auto db = migrated();
  execute(db, upsert_category({"women", "Женщинам", "", 1}));
  execute(db, upsert_category({"dresses", "Платья", "women", 0}));
  execute(db, upsert_category({"men", "Мужчинам", "", 0}));
  auto cats = load_categories(db);
  REQUIRE(cats.size() == 3);
  CHECK(cats[0].id == "dresses");
  CHECK(cats[0].parent_id == "women");
  CHECK(cats[1].id == "men");
  CHECK(cats[1].parent_id.empty());
  CHECK(cats[2].id == "women");
  CHECK(cats[2].name == "Женщинам");
}

TEST_CASE("products, warehouses, stock and couriers read back as written") {
  auto db = migrated();
  execute(db, upsert_category({"c", "Одежда", "", 0}));
  execute(db, upsert_product({"p2", "Шарф", "Тёплый", "c", 99000, 1700000000}));
  execute(db, upsert_product({"p1", "Платье", "Летнее", "c", 199900, 1}));
  execute(db, upsert_warehouse({"w1", "Подольск", {55.43, 37.54}}));
  execute(db, put_stock({"w1", "p1", 10, 3}));
  execute(db, put_stock({"w1", "p1", 12, 4})); // an upsert, not a second row
  execute(db, upsert_courier({"k1", "Иван", {55.75, 37.62}}));
  execute(db, upsert_courier({"k1", "Иван", {55.76, 37.63}}));

  auto products = load_products(db);
  REQUIRE(products.size() == 2);
  CHECK(products[0].id == "p1");
  CHECK(products[1].title == "Шарф");
  CHECK(products[1].description == "Тёплый");
  CHECK(products[1].price == 99000);
  CHECK(products[1].created_at == 1700000000);
  auto warehouses = load_warehouses(db);
  REQUIRE(warehouses.size() == 1);
  CHECK(warehouses[0].location.lat == Approx(55.43));
  auto stock = load_stock(db, "w1");
  REQUIRE(stock.size() == 1);
  CHECK(stock[0].on_hand == 12);
  CHECK(stock[0].available() == 8);
  CHECK(load_stock(db, "w2").empty());
  auto couriers = load_couriers(db);
  REQUIRE(couriers.size() == 1);
  CHECK(couriers[0].location.lon == Approx(37.63));
}

TEST_CASE("renaming a product moves it in search") {
  auto db = migrated();
  execute(db, upsert_category({"c", "Одежда", "", 0}));
  execute(db, upsert_product({"p1", "Платье", "Летнее", "c", 100, 1}));
  CHECK(search_product_ids(db, "платье") == std::vector<std::string>{"p1"});
  execute(db, upsert_product({"p1", "Юбка", "Летняя", "c", 100, 1}));
  CHECK(search_product_ids(db, "платье").empty());
  CHECK(search_product_ids(db, "юбка") == std::vector<std::string>{"p1"});
  db.exec("DELETE FROM products WHERE id = 'p1'");
  CHECK(search_product_ids(db, "юбка").empty());
}
