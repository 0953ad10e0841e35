#include "storage/order_repo.hpp"

#include <catch2/catch.hpp>

#include "storage/database.hpp"
#include "storage/migrations.hpp"
#include "support/test_store.hpp"

using namespace berry;
using namespace berry::storage;

namespace {

database make_db() {
  auto db = test::fresh_database();
  db.exec(
      "INSERT INTO categories (id, name) VALUES ('c', 'Дом');"
      "INSERT INTO products (id, title, description, category_id, price, "
      "created_at) VALUES ('p-1', 'Чайник', 'Стекло', 'c', 199000, 0);"
      "INSERT INTO users VALUES ('u-1', 'a@b.ru', 'Аня', 'customer', 'h', 0, "
      "0);"
      "INSERT INTO users VALUES ('u-2', 'c@d.ru', 'Боря', 'customer', 'h', "
      "0, 0);");
  return db;
}

order_record sample(const std::string& id, const std::string& user,
                    const std::string& key, int64_t at) {
  order_record x;
  x.id = id;
  x.user_id = user;
  x.status = order_status::pending;
  x.lines = {{"p-1", 2, 199000, ""}};
  x.total = 398000;
  x.address = {{55.75, 37.61}, "Тверская, 1"};
  x.payment_token = "tok_ok";
  x.idempotency_key = key;
  x.request_hash = "h1";
  x.created_at_ms = at;
  x.from_cart = true;
  x.history = {{order_status::pending, at}};
  return x;
}

void run(database& db, const std::vector<db_statement>& xs) {
  for (auto& x : xs)
    execute(db, x);
}

} // namespace

TEST_CASE("an order reads back with its lines and history") {
  auto db = make_db();
  auto x = sample("o-1", "u-1", "k1", 1000);
  run(db, insert_order(x));
  x.lines[0].warehouse_id = "w-1";
  run(db, statements_for(order_lines_planned{x.id, x.lines, 2}));
  run(db, statements_for(
              order_status_changed{x.id, {order_status::reserved, 2000}}));
  auto back = load_order(db, "o-1");
  REQUIRE(back);
  CHECK(back->status == order_status::reserved);
  CHECK(back->attempt == 2); // the saga's plan, stored with it
  CHECK(back->total == 398000);
  CHECK(back->from_cart);
  CHECK(back->address.text == "Тверская, 1");
  REQUIRE(back->lines.size() == 1);
  CHECK(back->lines[0].warehouse_id == "w-1");
  REQUIRE(back->history.size() == 2);
  CHECK(back->history[1].status == order_status::reserved);
  CHECK(back->history[1].at_ms == 2000);
  CHECK_FALSE(load_order(db, "o-404"));
}

TEST_CASE("one idempotency key of one user makes one order") {
  auto db = make_db();
  run(db, insert_order(sample("o-1", "u-1", "k1", 1000)));
  CHECK_THROWS_AS(run(db, insert_order(sample("o-2", "u-1", "k1", 1001))),
                  db_error);
  // The same key of another user is another order.
  run(db, insert_order(sample("o-3", "u-2", "k1", 1002)));
  CHECK(find_order_by_key(db, "u-1", "k1")->id == "o-1");
  CHECK(find_order_by_key(db, "u-2", "k1")->id == "o-3");
  CHECK_FALSE(find_order_by_key(db, "u-1", "k2"));
}

TEST_CASE("a user's orders come newest first and open ones are found") {
  auto db = make_db();
  run(db, insert_order(sample("o-1", "u-1", "k1", 1000)));
  run(db, insert_order(sample("o-2", "u-1", "k2", 2000)));
  auto done = sample("o-3", "u-1", "k3", 3000);
  done.status = order_status::cancelled;
  run(db, insert_order(done));
  auto mine = load_user_orders(db, "u-1");
  REQUIRE(mine.size() == 3);
  CHECK(mine[0].id == "o-3");
  CHECK(mine[2].id == "o-1");
  CHECK(load_user_orders(db, "u-2").empty());
  auto open = load_open_orders(db);
  REQUIRE(open.size() == 2);
  CHECK(open[0].id == "o-1");
  CHECK(is_final(order_status::cancelled));
  CHECK_FALSE(is_final(order_status::paid));
}

TEST_CASE("an order stored with a status nobody knows is refused on read") {
  auto db = make_db();
  run(db, insert_order(sample("o-1", "u-1", "k1", 1000)));
  db.prepare("UPDATE orders SET status = 'shipped' WHERE id = 'o-1'").run();
  CHECK_THROWS_AS(load_order(db, "o-1"), db_error);
}

namespace {

/// Stores order `id` of `user` made at `at`, taken through `statuses`.
void store(database& db, const std::string& id, const std::string& user,
           int64_t at, std::vector<order_status> statuses = {}) {
  order_record x;
  x.id = id;
  x.user_id = user;
  x.status = order_status::pending;
  x.lines = {{"p-1", 2, 1000, "w-1"}, {"p-2", 1, 300, "w-2"}};
  x.total = 2300;
  x.address = {{55.75, 37.61}, "Тверская, 1"};
  x.payment_token = "tok_ok";
  x.idempotency_key = id;
  x.request_hash = "h";
  x.created_at_ms = at;
  x.history = {{order_status::pending, at}};
  for (auto& xs : statements_for(order_created{x}))
    execute(db, xs);
  for (auto s : statuses)
    for (auto& xs : statements_for(order_status_changed{id, {s, ++at}}))
      execute(db, xs);
}

/// make_db with a second product, as the listed orders have two lines.
database list_db() {
  auto db = make_db();
  db.exec("INSERT INTO products (id, title, description, category_id, price, "
          "created_at) VALUES ('p-2', 'Кружка', 'Фарфор', 'c', 300, "
          "0);");
  return db;
}

std::vector<std::string> ids(const order_list_page& p) {
  std::vector<std::string> out;
  for (auto& x : p.items)
    out.push_back(x.order.id);
  return out;
}

} // namespace

TEST_CASE("a user's orders come a page at a time, newest first, with a total") {
  auto db = list_db();
  for (int i = 1; i <= 5; ++i)
    store(db, "o-" + std::to_string(i), "u-1", i * 1000);
  store(db, "o-theirs", "u-2", 9000);
  auto first = load_order_page(db, {"u-1", 1, 2, false});
  CHECK(ids(first) == std::vector<std::string>{"o-5", "o-4"});
  CHECK(first.total == 5);
  auto last = load_order_page(db, {"u-1", 3, 2, false});
  CHECK(ids(last) == std::vector<std::string>{"o-1"});
  CHECK(last.total == 5);
  auto past = load_order_page(db, {"u-1", 4, 2, false});
  CHECK(past.items.empty());
  CHECK(past.total == 5);
}

TEST_CASE("a listed order has its lines, history and a short number") {
  auto db = list_db();
  store(db, "o-a", "u-1", 1000, {order_status::reserved, order_status::paid});
  store(db, "o-b", "u-2", 2000);
  auto page = load_order_page(db, {"u-1", 1, 20, false});
  REQUIRE(page.items.size() == 1);
  auto& x = page.items[0];
  CHECK(x.number == 1);
  CHECK(x.order.status == order_status::paid);
  REQUIRE(x.order.lines.size() == 2);
  CHECK(x.order.lines[0].product_id == "p-1");
  CHECK(x.order.lines[0].qty == 2);
  CHECK(x.order.lines[0].unit_price == 1000);
  CHECK(x.order.lines[1].warehouse_id == "w-2");
  REQUIRE(x.order.history.size() == 3);
  CHECK(x.order.history[2].status == order_status::paid);
  CHECK(x.order.history[2].at_ms == 1002);
  CHECK(load_order_page(db, {"u-2", 1, 20, false}).items[0].number == 2);
}

TEST_CASE("orders cancelled before they were paid are listed only on request") {
  auto db = list_db();
  store(db, "o-declined", "u-1", 1000,
        {order_status::reserved, order_status::cancelled});
  store(db, "o-refunded", "u-1", 2000,
        {order_status::reserved, order_status::paid, order_status::cancelled});
  store(db, "o-running", "u-1", 3000, {order_status::reserved});
  auto shown = load_order_page(db, {"u-1", 1, 20, false});
  CHECK(ids(shown) == std::vector<std::string>{"o-running", "o-refunded"});
  CHECK(shown.total == 2);
  auto all = load_order_page(db, {"u-1", 1, 20, true});
  CHECK(ids(all) ==
        std::vector<std::string>{"o-running", "o-refunded", "o-declined"});
  CHECK(all.total == 3);
}
