#include "storage/catalog_import.hpp"

#include <catch2/catch.hpp>

#include "storage/catalog_repo.hpp"
#include "storage/search.hpp"
#include "support/test_store.hpp"

using namespace berry;
using namespace berry::storage;

namespace {

/// A store with one category, two warehouses and one product made by the
/// admin API (p-000007), so imported ones must number after it.
database shop() {
  auto db = test::fresh_database();
  execute(db, upsert_category({"c", "Одежда", "", 0}));
  execute(db, upsert_warehouse({"w1", "Подольск", {55.43, 37.54}}));
  execute(db, upsert_warehouse({"w2", "Коледино", {55.32, 37.55}}));
  execute(db, upsert_product({"p-000007", "Шарф", "Тёплый", "c", 99000, 1}));
  return db;
}

import_item item(int64_t line, std::string ext, std::string title,
                 std::vector<std::pair<std::string, int64_t>> stock = {}) {
  import_item x;
  x.line = line;
  x.external_id = std::move(ext);
  x.item = product{"", std::move(title), "Лёгкое из льна", "c", 150000, 2};
  x.stock = std::move(stock);
  return x;
}

int64_t on_hand(database& db, const std::string& w, const std::string& p) {
  for (const auto& s : load_stock(db, w))
    if (s.product_id == p)
      return s.on_hand;
  return -1;
}

} // namespace

TEST_CASE("imported products take the next free ids and their stock") {
  auto db = shop();
  catalog_importer importer{db};
  auto out = importer.write({item(1, "x-1", "Платье летнее", {{"w1", 5}}),
                             item(2, "x-2", "Куртка", {{"w1", 1}, {"w2", 9}})});
  CHECK(out.written == 2);
  CHECK(out.rejected.empty());
  auto products = load_products(db);
  REQUIRE(products.size() == 3);
  CHECK(products[1].id == "p-000008");
  CHECK(products[1].title == "Платье летнее");
  CHECK(products[2].id == "p-000009");
  CHECK(on_hand(db, "w1", "p-000008") == 5);
  CHECK(on_hand(db, "w2", "p-000009") == 9);
}

TEST_CASE(
    "search finds imported products, and their new words after an update") {
  auto db = shop();
  catalog_importer{db}.write({item(1, "x-1", "Платье летнее")});
  CHECK(search_product_ids(db, "платья") ==
        std::vector<std::string>{"p-000008"});
  catalog_importer{db}.write({item(1, "x-1", "Сарафан в горошек")});
  CHECK(search_product_ids(db, "платье").empty());
  CHECK(search_product_ids(db, "сарафан") ==
        std::vector<std::string>{"p-000008"});
  if (!db.is_postgres()) // FTS5 compares its index with the products table
    db.exec("INSERT INTO products_fts (products_fts) VALUES "
            "('integrity-check')");
}

TEST_CASE("the index of a big import, with updates, is the products' own") {
  auto db = shop();
  std::vector<import_item> batch;
  for (int i = 0; i < 3000; ++i)
    batch.push_back(
        item(i, "x-" + std::to_string(i), "Платье номер " + std::to_string(i)));
  catalog_importer{db}.write(batch);
  for (int i = 0; i < 3000; i += 2)
    batch[i].item.title = "Сарафан номер " + std::to_string(i);
  catalog_importer{db}.write(batch);
  CHECK(search_product_ids(db, "сарафан").size() == 1500);
  CHECK(search_product_ids(db, "платья").size() == 1500);
  CHECK(search_product_ids(db, "шарф").size() == 1); // the admin's, unharmed
  if (!db.is_postgres())
    db.exec("INSERT INTO products_fts (products_fts) VALUES "
            "('integrity-check')");
  // Written by the API after the import: the triggers are back.
  execute(db, upsert_product({"p-999999", "Шарф вязаный", "", "c", 1, 1}));
  CHECK(search_product_ids(db, "шарф").size() == 2);
}

TEST_CASE(
    "importing an external id again updates that product, no second one") {
  auto db = shop();
  catalog_importer{db}.write({item(1, "x-1", "Платье", {{"w1", 5}})});
  execute(db, put_stock({"w2", "p-000008", 4, 0}));
  // A rerun (a new importer, as after a crash) with the same line changed.
  auto out = catalog_importer{db}.write(
      {item(1, "x-1", "Платье синее", {{"w1", 7}}), item(2, "x-2", "Шапка")});
  CHECK(out.written == 2);
  auto products = load_products(db);
  REQUIRE(products.size() == 3);
  CHECK(products[1].id == "p-000008");
  CHECK(products[1].title == "Платье синее");
  CHECK(products[2].id == "p-000009");
  CHECK(on_hand(db, "w1", "p-000008") == 7);
  CHECK(on_hand(db, "w2", "p-000008") == 4); // not named: kept
}

TEST_CASE("within one batch the later line of an external id wins") {
  auto db = shop();
  auto out = catalog_importer{db}.write(
      {item(1, "x-1", "Платье"), item(2, "x-1", "Платье красное")});
  CHECK(out.written == 2);
  auto products = load_products(db);
  REQUIRE(products.size() == 2);
  CHECK(products[1].title == "Платье красное");
}

TEST_CASE("a row the store refuses is reported and the rest of its batch is "
          "written") {
  auto db = shop();
  catalog_importer{db}.write({item(1, "x-1", "Платье", {{"w1", 5}})});
  execute(db, put_stock({"w1", "p-000008", 5, 3})); // 3 reserved
  auto out = catalog_importer{db}.write(
      {item(7, "x-2", "Шапка", {{"w1", 2}}),
       item(8, "x-1", "Платье новое", {{"w1", 2}}), // below the reserved 3
       item(9, "x-3", "Шарф", {{"w2", 1}})});
  CHECK(out.written == 2);
  REQUIRE(out.rejected.size() == 1);
  CHECK(out.rejected[0].line == 8);
  auto products = load_products(db);
  REQUIRE(products.size() == 4);
  CHECK(products[1].title == "Платье"); // nothing of line 8 written
  CHECK(on_hand(db, "w1", "p-000008") == 5);
  CHECK(products[2].id == "p-000009");
  CHECK(products[3].id == "p-000010");
  CHECK(on_hand(db, "w2", "p-000010") == 1);
}

TEST_CASE("a line naming a category or a warehouse the store lacks is "
          "refused, the rest of its batch written") {
  auto db = shop();
  auto bad_category = item(2, "x-2", "Шапка");
  bad_category.item.category_id = "no-such";
  auto out = catalog_importer{db}.write(
      {item(1, "x-1", "Платье", {{"w1", 5}}), bad_category,
       item(3, "x-3", "Шарф", {{"w1", 1}, {"w9", 2}}),
       item(4, "x-4", "Пальто", {{"w2", 3}})});
  CHECK(out.written == 2);
  REQUIRE(out.rejected.size() == 2);
  CHECK(out.rejected[0].line == 2);
  CHECK(out.rejected[1].line == 3);
  auto products = load_products(db);
  REQUIRE(products.size() == 3);
  CHECK(products[1].title == "Платье");
  CHECK(products[2].title == "Пальто");
  CHECK(on_hand(db, "w2", products[2].id) == 3);
  // The connection checks foreign keys again once the importer is gone.
  CHECK_THROWS_AS(execute(db, put_stock({"w9", "p-000007", 1, 0})), db_error);
}
