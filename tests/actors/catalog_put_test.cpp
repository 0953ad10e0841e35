// The catalog's admin side: a product is journaled, then published.

#include "actors/catalog.hpp"

#include <catch2/catch.hpp>

#include "warehouse_fixture.hpp"

using berry::berry_errc;
using berry::test::warehouse_fixture;

TEST_CASE_METHOD(warehouse_fixture,
                 "a new product is stored, then shown with a fresh id") {
  start(1);
  berry::product p{"", "Самовар тульский", "Медный", "c-1", 990000, 0};
  auto made =
      ask<berry::product>(catalog, berry::product_atom_v, caf::put_atom_v, p);
  REQUIRE(made.value);
  auto id = made.value->id;
  CHECK(id == "p-000003"); // after p-1 and p-2, the highest numbers taken
  CHECK(made.value->created_at > 0);
  auto again =
      ask<berry::product>(catalog, berry::product_atom_v, caf::put_atom_v, p);
  REQUIRE(again.value);
  CHECK(again.value->id != id);
  auto* entry = published.back()->find(id);
  REQUIRE(entry != nullptr);
  CHECK(entry->item.title == "Самовар тульский");
  CHECK(entry->available == 0);
  auto db = berry::storage::database::open(
      path, berry::storage::open_mode::read_only);
  auto stored = berry::storage::load_products(db);
  CHECK(stored.size() == 4);
}

TEST_CASE_METHOD(warehouse_fixture,
                 "a changed product keeps its id and shows its new price") {
  start(2);
  berry::product p{"p-1", "Чайник", "Стекло", "c-1", 150000, 1};
  auto changed =
      ask<berry::product>(catalog, berry::product_atom_v, caf::put_atom_v, p);
  REQUIRE(changed.value);
  auto* entry = published.back()->find("p-1");
  REQUIRE(entry != nullptr);
  CHECK(entry->item.price == 150000);
  CHECK(entry->available == 2);
}

TEST_CASE_METHOD(warehouse_fixture,
                 "the catalog refuses a product it could not show") {
  start(1);
  auto bad = [&](berry::product p) {
    return ask<berry::product>(catalog, berry::product_atom_v, caf::put_atom_v,
                               p)
        .code();
  };
  CHECK(bad({"", "", "x", "c-1", 1, 0}) == berry_errc::validation);
  CHECK(bad({"", std::string(201, 'a'), "x", "c-1", 1, 0}) ==
        berry_errc::validation);
  CHECK(bad({"", "Ок", "x", "c-404", 1, 0}) == berry_errc::validation);
  CHECK(bad({"", "Ок", "x", "c-1", -1, 0}) == berry_errc::validation);
  // 200 Cyrillic letters are 400 bytes, and still allowed.
  std::string long_title;
  for (int i = 0; i < 200; ++i)
    long_title += "ж";
  CHECK(bad({"", long_title, "x", "c-1", 1, 0}) == berry_errc::none);
}
