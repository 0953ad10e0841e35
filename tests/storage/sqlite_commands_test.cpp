#include "storage/sqlite_commands.hpp"

#include <algorithm>
#include <string>
#include <vector>

#include <caf/binary_deserializer.hpp>
#include <caf/binary_serializer.hpp>
#include <caf/deep_to_string.hpp>
#include <catch2/catch.hpp>

#include "storage/sample_order.hpp"

#include "storage/cart_repo.hpp"
#include "storage/catalog_repo.hpp"
#include "storage/migrations.hpp"
#include "storage/order_repo.hpp"
#include "storage/stock_repo.hpp"

using namespace berry;
using namespace berry::storage;
using berry::test::pending_order;

namespace {

// A migrated database with one product, one warehouse and one user, and a
// way to run commands on it as the journal does.
struct store {
  database db = database::open(":memory:");
  statement_cache cache{db};

  store() {
    migrate(db);
    execute(db, upsert_category({"c", "Дом", "", 0}));
    execute(db, upsert_product({"p-1", "Чайник", "Стекло", "c", 199000, 1}));
    execute(db, upsert_warehouse({"w-1", "Подольск", {55.43, 37.54}}));
    db.exec("INSERT INTO users VALUES ('u-1', 'a@b.ru', 'Аня', 'customer',"
            " 'h', 0, 0)");
  }

  void run(const std::vector<journal_command>& xs) {
    for (auto& x : xs)
      apply(cache, x);
  }

  int64_t count(const std::string& query) {
    auto stmt = db.prepare(query);
    stmt.step();
    return stmt.col_int(0);
  }
};

} // namespace

TEST_CASE("a status change stores its fields and one history row, and "
          "leaves the order's lines alone") {
  store s;
  auto x = pending_order();
  s.run({order_created{x},
         order_lines_planned{"o-1", {{"p-1", 2, 199000, "w-1"}}}});
  s.db.exec("CREATE TEMP TABLE touched (n INTEGER);"
            "CREATE TEMP TRIGGER lines_deleted AFTER DELETE ON order_lines"
            " BEGIN INSERT INTO touched VALUES (1); END;");
  order_status_changed paid;
  paid.order_id = "o-1";
  paid.entry = {order_status::paid, 3000};
  paid.payment_id = "pay-1";
  paid.courier_id = "k-1";
  paid.courier_location = {55.7, 37.6};
  paid.eta_s = 120;
  s.run({paid});
  CHECK(s.count("SELECT COUNT(*) FROM touched") == 0);
  auto back = load_order(s.db, "o-1");
  REQUIRE(back);
  CHECK(back->status == order_status::paid);
  CHECK(back->payment_id == "pay-1");
  CHECK(back->courier_id == "k-1");
  CHECK(back->courier_location.lat == 55.7);
  CHECK(back->eta_s == 120);
  CHECK(back->total == 398000);
  REQUIRE(back->lines.size() == 1);
  CHECK(back->lines[0].warehouse_id == "w-1");
  REQUIRE(back->history.size() == 2);
  CHECK(back->history[1].status == order_status::paid);
  CHECK(back->history[1].at_ms == 3000);
}

TEST_CASE("a cancel reason is stored before the order is cancelled") {
  store s;
  s.run({order_created{pending_order()},
         order_cancel_reason_set{"o-1", compensation_reason::customer}});
  auto back = load_order(s.db, "o-1");
  REQUIRE(back);
  CHECK(back->status == order_status::pending);
  CHECK(back->cancel_reason == compensation_reason::customer);
  // Not final yet: recovery hands it to an order actor to finish.
  CHECK(load_open_orders(s.db).size() == 1);
}

TEST_CASE("a hold keeps its lines while committed and drops them once "
          "restocked") {
  store s;
  std::vector<order_line> two{{"p-1", 2, 0, "w-1"}};
  s.run({stock_changed{{"w-1", "p-1", 5, 0}},
         stock_changed{{"w-1", "p-1", 0, 2}},
         hold_changed{"o-1", "w-1", hold_state::reserved, two, 9000, 10}});
  REQUIRE(load_reservations(s.db, "w-1").size() == 1);
  CHECK(load_reservations(s.db, "w-1")[0].expires_at_ms == 9000);
  s.run({stock_changed{{"w-1", "p-1", -2, -2}},
         hold_changed{"o-1", "w-1", hold_state::committed, {}, 0, 20}});
  auto kept = load_reservations(s.db, "w-1");
  REQUIRE(kept.size() == 1);
  CHECK(kept[0].lines.at(0).qty == 2);
  s.run({stock_changed{{"w-1", "p-1", 2, 0}},
         hold_changed{"o-1", "w-1", hold_state::restocked, {}, 0, 30}});
  CHECK(load_reservations(s.db, "w-1").empty());
  auto states = load_warehouse_orders(s.db, "w-1");
  REQUIRE(states.size() == 1);
  CHECK(states[0].state == hold_state::restocked);
  CHECK(states[0].updated_at_ms == 30);
  auto level = load_stock(s.db, "w-1").at(0);
  CHECK(level.on_hand == 5);
  CHECK(level.reserved == 0);
}

TEST_CASE("a first hold stores its lines without deleting any; a hold "
          "reserved again replaces them") {
  store s;
  std::vector<order_line> two{{"p-1", 2, 0, "w-1"}, {"p-2", 1, 0, "w-1"}};
  hold_changed first{"o-1", "w-1", hold_state::reserved, two, 9000, 10};
  first.fresh = true;
  auto statements = storage::statements_for(journal_command{first});
  CHECK(std::none_of(statements.begin(), statements.end(),
                     [](auto& x) { return x.sql.rfind("DELETE", 0) == 0; }));
  s.run({stock_changed{{"w-1", "p-1", 5, 0}},
         stock_changed{{"w-1", "p-2", 5, 0}}, first});
  auto held = load_reservations(s.db, "w-1");
  REQUIRE(held.size() == 1);
  CHECK(held[0].lines.size() == 2);
  // The same order reserved again (a later attempt) with one line: the
  // line it no longer holds is gone.
  s.run({hold_changed{"o-1",
                      "w-1",
                      hold_state::reserved,
                      {{"p-2", 1, 0, "w-1"}},
                      9500,
                      20,
                      1}});
  held = load_reservations(s.db, "w-1");
  REQUIRE(held.size() == 1);
  REQUIRE(held[0].lines.size() == 1);
  CHECK(held[0].lines[0].product_id == "p-2");
  CHECK(held[0].expires_at_ms == 9500);
}

TEST_CASE("a stock delta on a stored row is one UPDATE; a missing row is "
          "made, and an oversell still refused") {
  store s;
  s.run({stock_changed{{"w-1", "p-1", 5, 0}}}); // no row yet: made
  CHECK(s.count("SELECT on_hand FROM stock") == 5);
  // An INSERT tried, even one that does nothing, fires the trigger.
  s.db.exec("CREATE TEMP TABLE inserted (n INTEGER);"
            "CREATE TEMP TRIGGER stock_inserted BEFORE INSERT ON stock"
            " BEGIN INSERT INTO inserted VALUES (1); END;");
  s.run({stock_changed{{"w-1", "p-1", 0, 2}},
         stock_changed{{"w-1", "p-1", -2, -2}}});
  CHECK(s.count("SELECT count(*) FROM inserted") == 0);
  CHECK(s.count("SELECT on_hand FROM stock") == 3);
  CHECK(s.count("SELECT reserved FROM stock") == 0);
  CHECK_THROWS_AS(s.run({stock_changed{{"w-1", "p-1", 0, 4}}}), db_error);
  execute(s.db, upsert_product({"p-2", "Кружка", "Фарфор", "c", 49000, 1}));
  CHECK_THROWS_AS(s.run({stock_changed{{"w-1", "p-2", -1, 0}}}), db_error);
  // (the journal rolls the refused batch back; here only its UPDATE failed)
  CHECK(s.count("SELECT min(on_hand) FROM stock") == 0);
}

TEST_CASE("a cart line set to 0 is removed, and a cleared cart is empty") {
  store s;
  s.run({cart_line_set{"u-1", "p-1", 3}});
  CHECK(load_cart(s.db, "u-1").at(0).qty == 3);
  s.run({cart_line_set{"u-1", "p-1", 0}});
  CHECK(load_cart(s.db, "u-1").empty());
  s.run({cart_line_set{"u-1", "p-1", 1}, cart_cleared{"u-1"}});
  CHECK(load_cart(s.db, "u-1").empty());
}

TEST_CASE("a batch of commands crosses a node unchanged") {
  journal_batch out;
  out.commands = {order_created{pending_order()},
                  hold_changed{"o-1",
                               "w-1",
                               hold_state::reserved,
                               {{"p-1", 2, 0, "w-1"}},
                               9000,
                               10,
                               0,
                               true},
                  cart_cleared{"u-1"},
                  payment_retried{"o-1:charge", payment_status::captured}};
  std::vector<char> buf;
  caf::binary_serializer sink{nullptr, buf};
  REQUIRE_FALSE(sink(out));
  journal_batch in;
  caf::binary_deserializer source{nullptr, buf};
  REQUIRE_FALSE(source(in));
  REQUIRE(in.commands.size() == 4);
  REQUIRE(caf::holds_alternative<hold_changed>(in.commands[1]));
  CHECK(caf::get<hold_changed>(in.commands[1]).fresh);
  CHECK(caf::get<payment_retried>(in.commands[3]).status ==
        payment_status::captured);
  CHECK(caf::deep_to_string(in) == caf::deep_to_string(out));
}
