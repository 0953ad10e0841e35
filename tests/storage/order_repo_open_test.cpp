#include <catch2/catch.hpp>

#include "storage/database.hpp"
#include "storage/order_repo.hpp"
#include "storage/sample_order.hpp"
#include "support/test_store.hpp"

using namespace berry;
using namespace berry::storage;
using berry::test::pending_order;

namespace {

database make_db() {
  auto db = test::fresh_database();
  db.exec("INSERT INTO categories (id, name) VALUES ('c', 'Дом');"
          "INSERT INTO products (id, title, description, category_id, price, "
          "created_at) VALUES ('p-1', 'Чайник', 'Стекло', 'c', 199000, 0);"
          "INSERT INTO users VALUES ('u-1', 'a@b.ru', 'Аня', 'customer', 'h', "
          "0, 0);");
  return db;
}

void add(database& db, const std::string& id, order_status status, int64_t at) {
  auto x = pending_order(id, "k-" + id);
  x.status = status;
  x.created_at_ms = at;
  for (auto& s : insert_order(x))
    execute(db, s);
}

} // namespace

TEST_CASE("the unfinished orders of one shard are those load_open_orders "
          "finds that the shard keeps, whole and oldest first") {
  auto db = make_db();
  add(db, "o-a1", order_status::paid, 3000);
  add(db, "o-b1", order_status::pending, 2000);
  add(db, "o-a2", order_status::reserved, 1000);
  add(db, "o-a3", order_status::cancelled, 500);
  add(db, "o-a4", order_status::delivered, 400);
  auto in_a = [](const std::string& id) { return id.rfind("o-a", 0) == 0; };
  auto mine = load_open_orders_of(db, in_a);
  REQUIRE(mine.size() == 2);
  CHECK(mine[0].id == "o-a2");
  CHECK(mine[0].status == order_status::reserved);
  CHECK(mine[0].lines.size() == 1);
  CHECK(mine[0].history.size() == 1);
  CHECK(mine[1].id == "o-a1");
  // Together the shards hold exactly the unfinished orders.
  auto rest =
      load_open_orders_of(db, [&](const std::string& id) { return !in_a(id); });
  REQUIRE(rest.size() == 1);
  CHECK(rest[0].id == "o-b1");
  CHECK(load_open_orders(db).size() == mine.size() + rest.size());
}
