#include "storage/stock_repo.hpp"

#include <catch2/catch.hpp>

#include "storage/catalog_repo.hpp"
#include "storage/migrations.hpp"
#include "support/test_store.hpp"

using namespace berry;
using namespace berry::storage;

namespace {

database with_one_product() {
  auto db = test::fresh_database();
  execute(db, upsert_category({"c", "Дом", "", 0}));
  execute(db, upsert_product({"p1", "Чайник", "Стекло", "c", 199000, 1}));
  execute(db, upsert_product({"p2", "Кружка", "Фарфор", "c", 49000, 1}));
  execute(db, upsert_warehouse({"w1", "Подольск", {55.43, 37.54}}));
  execute(db, upsert_warehouse({"w2", "Химки", {55.89, 37.44}}));
  return db;
}

stock_level stock_of(database& db, const std::string& wid,
                     const std::string& pid) {
  for (auto& s : load_stock(db, wid))
    if (s.product_id == pid)
      return s;
  return {wid, pid, -1, -1};
}

} // namespace

TEST_CASE("stock changes add up as deltas on a row made on demand") {
  auto db = with_one_product();
  execute(db, ensure_stock_row("w1", "p1"));
  CHECK(stock_of(db, "w1", "p1").on_hand == 0);
  execute(db, add_stock({"w1", "p1", 7, 0}));
  execute(db, add_stock({"w1", "p1", 0, 3}));
  execute(db, ensure_stock_row("w1", "p1")); // leaves the row alone
  execute(db, add_stock({"w1", "p1", -2, -2}));
  auto s = stock_of(db, "w1", "p1");
  CHECK(s.on_hand == 5);
  CHECK(s.reserved == 1);
}

TEST_CASE("the database refuses to reserve more than is on hand") {
  auto db = with_one_product();
  execute(db, ensure_stock_row("w1", "p1"));
  execute(db, add_stock({"w1", "p1", 2, 0}));
  try {
    execute(db, add_stock({"w1", "p1", 0, 3}));
    FAIL("the CHECK constraint let an oversell through");
  } catch (const db_error& e) {
    CHECK(e.is_constraint());
  }
  try {
    execute(db, add_stock({"w1", "p1", -3, 0}));
    FAIL("the CHECK constraint let negative stock through");
  } catch (const db_error& e) {
    CHECK(e.is_constraint());
  }
  CHECK(stock_of(db, "w1", "p1").on_hand == 2);
}

TEST_CASE("reservations load grouped by order, per warehouse") {
  auto db = with_one_product();
  execute(db, put_reservation("o-2", "w1", "p2", 1, 5000));
  execute(db, put_reservation("o-1", "w1", "p1", 2, 4000));
  execute(db, put_reservation("o-1", "w1", "p2", 3, 4000));
  execute(db, put_reservation("o-1", "w2", "p1", 9, 4000));
  execute(db, put_reservation("o-2", "w1", "p2", 4, 6000)); // replaces
  auto rs = load_reservations(db, "w1");
  REQUIRE(rs.size() == 2);
  CHECK(rs[0].order_id == "o-1");
  CHECK(rs[0].warehouse_id == "w1");
  CHECK(rs[0].expires_at_ms == 4000);
  REQUIRE(rs[0].lines.size() == 2);
  CHECK(rs[0].lines[0].product_id == "p1");
  CHECK(rs[0].lines[0].qty == 2);
  CHECK(rs[0].lines[1].qty == 3);
  REQUIRE(rs[1].lines.size() == 1);
  CHECK(rs[1].lines[0].qty == 4);
  CHECK(rs[1].expires_at_ms == 6000);
  execute(db, delete_reservations("o-1", "w1"));
  CHECK(load_reservations(db, "w1").size() == 1);
  CHECK(load_reservations(db, "w2").size() == 1);
}

TEST_CASE("what a warehouse did for an order is kept, latest state wins") {
  auto db = with_one_product();
  execute(db, put_warehouse_order("o-1", "w1", hold_state::reserved, 10));
  execute(db, put_warehouse_order("o-1", "w1", hold_state::committed, 20));
  execute(db, put_warehouse_order("o-2", "w1", hold_state::released, 30));
  execute(db, put_warehouse_order("o-1", "w2", hold_state::reserved, 40));
  auto rows = load_warehouse_orders(db, "w1");
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].order_id == "o-1");
  CHECK(rows[0].state == hold_state::committed);
  CHECK(rows[0].updated_at_ms == 20);
  CHECK(rows[1].state == hold_state::released);
  try {
    // The schema itself refuses a state the enum does not name.
    execute(db, db_statement{sql::put_warehouse_order,
                             {db_value::of("o-3"), db_value::of("w1"),
                              db_value::of("lost"), db_value::of(int64_t{1}),
                              db_value::of(int64_t{0})}});
    FAIL("an unknown state was stored");
  } catch (const db_error& e) {
    CHECK(e.is_constraint());
  }
}

TEST_CASE("a warehouse starts from the reservations it still holds, each "
          "with the attempt it was reserved for") {
  auto db = with_one_product();
  execute(db, put_reservation("o-1", "w1", "p1", 2, 4000));
  execute(db, put_warehouse_order("o-1", "w1", hold_state::reserved, 10, 3));
  execute(db, put_reservation("o-2", "w1", "p1", 1, 5000));
  execute(db, put_warehouse_order("o-2", "w1", hold_state::committed, 20));
  execute(db, put_warehouse_order("o-3", "w1", hold_state::released, 30));
  execute(db, put_reservation("o-4", "w2", "p2", 1, 6000));
  execute(db, put_warehouse_order("o-4", "w2", hold_state::reserved, 40));
  auto live = load_live_reservations(db, "w1");
  REQUIRE(live.size() == 1);
  CHECK(live[0].held.order_id == "o-1");
  CHECK(live[0].state == hold_state::reserved);
  CHECK(live[0].attempt == 3);
  CHECK(live[0].held.expires_at_ms == 4000);
  REQUIRE(live[0].held.lines.size() == 1);
  CHECK(live[0].held.lines[0].qty == 2);
  CHECK(live[0].held.lines[0].warehouse_id == "w1");
  auto other = load_live_reservations(db, "w2");
  REQUIRE(other.size() == 1);
  CHECK(other[0].attempt == 0);
}

TEST_CASE("one order's hold is found by its id, lines and all") {
  auto db = with_one_product();
  statement_cache cache{db};
  execute(db, put_reservation("o-1", "w1", "p2", 3, 4000));
  execute(db, put_reservation("o-1", "w1", "p1", 2, 4000));
  execute(db, put_warehouse_order("o-1", "w1", hold_state::committed, 10));
  execute(db, put_warehouse_order("o-2", "w1", hold_state::restocked, 20));
  auto committed = find_warehouse_hold(cache, "o-1", "w1");
  REQUIRE(committed);
  CHECK(committed->state == hold_state::committed);
  CHECK(committed->held.expires_at_ms == 4000);
  REQUIRE(committed->held.lines.size() == 2);
  CHECK(committed->held.lines[0].product_id == "p1");
  CHECK(committed->held.lines[0].qty == 2);
  CHECK(committed->held.lines[1].qty == 3);
  auto restocked = find_warehouse_hold(cache, "o-2", "w1");
  REQUIRE(restocked);
  CHECK(restocked->state == hold_state::restocked);
  CHECK(restocked->held.lines.empty());
  CHECK_FALSE(find_warehouse_hold(cache, "o-1", "w2"));
  CHECK_FALSE(find_warehouse_hold(cache, "o-9", "w1"));
}
