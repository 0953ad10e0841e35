// The PostgreSQL store against a real, throwaway PostgreSQL 15: the schema,
// every kind of journal command, group commit with a refused batch, the
// shard fence, and text that sorts as on SQLite. Tagged [postgres]: ctest
// lists them under the `postgres` label, and only where PostgreSQL's server
// programs are installed (CI insists that they are).

#include <memory>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "storage/accounts_repo.hpp"
#include "storage/catalog_repo.hpp"
#include "storage/migrations.hpp"
#include "storage/order_repo.hpp"
#include "storage/postgres.hpp"
#include "storage/postgres_journal.hpp"
#include "storage/postgres_schema.hpp"
#include "storage/sample_order.hpp"
#include "support/postgres_server.hpp"

using namespace berry;
using namespace berry::storage;
using berry::test::pending_order;

namespace {

/// A fresh PostgreSQL, migrated, with one category, product, warehouse and
/// user.
struct pg_store {
  test::postgres_server server;
  pg_connection db = pg_connection::open(server.conninfo());

  pg_store() {
    migrate(db);
    db.run(upsert_category({"c", "Дом", "", 0}));
    db.run(upsert_product({"p-1", "Чайник", "Стекло", "c", 199000, 1}));
    db.run(upsert_warehouse({"w-1", "Подольск", {55.43, 37.54}}));
  }

  int64_t count(const std::string& sql) {
    return db.query({sql, {}}).col_int(0, 0);
  }
};

journal_batch batch_of(std::vector<journal_command> xs) {
  return journal_batch{std::move(xs)};
}

user_account customer(std::string id, std::string email) {
  return {std::move(id), std::move(email), "Аня", "customer", "h", 1};
}

} // namespace

TEST_CASE("postgres: the schema has the same numbered migrations as SQLite, "
          "and migrating twice changes nothing",
          "[postgres]") {
  REQUIRE(postgres_migrations().size() == migrations().size());
  for (std::size_t i = 0; i < migrations().size(); ++i)
    CHECK(postgres_migrations()[i].version == migrations()[i].version);
  pg_store s;
  int last = migrations().back().version;
  CHECK(postgres_schema_version(s.db) == last);
  CHECK(migrate(s.db) == last);
  CHECK(s.count("SELECT count(*) FROM schema_migrations") == last);
}

TEST_CASE("postgres: every kind of journal command is stored in one round "
          "trip group",
          "[postgres]") {
  pg_store s;
  postgres_journal_writer w{s.server.conninfo()};
  auto order = pending_order("o-1", "k1");
  order_status_changed paid;
  paid.order_id = "o-1";
  paid.entry = {order_status::paid, 3000};
  paid.payment_id = "pay-1";
  provider_payment charge;
  charge.key = "o-1:charge";
  charge.payment_id = "pay-1";
  charge.order_id = "o-1";
  charge.amount = 398000;
  charge.token = "tok_ok";
  charge.status = payment_status::captured;
  charge.attempts = 1;
  charge.created_at_ms = 2000;
  auto b1 = batch_of({user_created{customer("u-1", "a@b.ru")},
                      admin_put{{"", "admin@b.ru", "", "admin", "h2", 5}},
                      cart_line_set{"u-1", "p-1", 3},
                      stock_changed{{"w-1", "p-1", 10, 0}}});
  auto b2 = batch_of(
      {order_created{order},
       order_lines_planned{"o-1", {{"p-1", 2, 199000, "w-1"}}},
       hold_changed{"o-1",
                    "w-1",
                    hold_state::reserved,
                    {{"p-1", 2, 199000, "w-1"}},
                    9000,
                    1500},
       stock_changed{{"w-1", "p-1", 0, 2}}, payment_recorded{charge},
       payment_retried{"o-1:charge", payment_status::captured},
       order_cancel_reason_set{"o-1", compensation_reason::none}, paid,
       cart_cleared{"u-1"}, courier_moved{{"k-1", "Курьер", {55.7, 37.6}}},
       product_put{{"p-2", "Платье чёрное", "Хлопок", "c", 250000, 2}},
       probe_written{"x"}});
  auto res = w.commit({&b1, &b2});
  REQUIRE(res.committed);
  CHECK(res.batches[0].status == batch_status::committed);
  CHECK(res.batches[1].status == batch_status::committed);
  CHECK(res.commands == b1.commands.size() + b2.commands.size());
  CHECK(s.count("SELECT count(*) FROM users") == 2);
  CHECK(s.count("SELECT on_hand * 100 + reserved FROM stock") == 1002);
  CHECK(s.count("SELECT count(*) FROM cart_lines") == 0);
  CHECK(s.count("SELECT count(*) FROM order_events WHERE order_id = 'o-1'") ==
        2);
  CHECK(s.db.query({"SELECT status, payment_id FROM orders", {}})
            .col_text(0, 0) == "paid");
  CHECK(s.count("SELECT attempts FROM provider_payments") == 2);
  CHECK(s.count("SELECT count(*) FROM warehouse_orders"
                " WHERE state = 'reserved'") == 1);
  CHECK(s.count("SELECT count(*) FROM couriers") == 1);
  CHECK(s.count("SELECT count(*) FROM products") == 2);
}

TEST_CASE(
    "postgres: a batch a constraint refuses is undone alone, and the rest "
    "of its group commits",
    "[postgres]") {
  pg_store s;
  postgres_journal_writer w{s.server.conninfo()};
  auto first = batch_of({user_created{customer("u-1", "a@b.ru")}});
  REQUIRE(w.commit({&first}).committed);
  auto dup = batch_of({cart_line_set{"u-1", "p-1", 1},
                       user_created{customer("u-2", "a@b.ru")}});
  auto ok = batch_of({user_created{customer("u-3", "c@b.ru")}});
  auto bad = batch_of({stock_changed{{"w-1", "p-1", -5, 0}}});
  auto res = w.commit({&dup, &ok, &bad});
  REQUIRE(res.committed);
  CHECK(res.batches[0].status == batch_status::conflict);
  CHECK(res.batches[1].status == batch_status::committed);
  CHECK(res.batches[2].status == batch_status::conflict);
  CHECK(res.commands == 1);
  CHECK(s.count("SELECT count(*) FROM users") == 2);
  CHECK(s.count("SELECT count(*) FROM cart_lines") == 0); // dup's first line
  CHECK(s.count("SELECT count(*) FROM stock") == 0);
  CHECK(w.last_seq() == 2);
}

TEST_CASE("postgres: after a takeover the old owner's batches are refused and "
          "nothing it sent afterwards is stored",
          "[postgres]") {
  pg_store s;
  shard_lease old_lease{single_node_shard, 1};
  postgres_journal_writer old_owner{s.server.conninfo(), old_lease};
  auto before = batch_of({user_created{customer("u-1", "a@b.ru")}});
  REQUIRE(old_owner.commit({&before}).committed);

  auto admin = pg_connection::open(s.server.conninfo());
  int64_t epoch = take_over_shard(admin, single_node_shard, "node-b");
  CHECK(epoch == 2);
  postgres_journal_writer new_owner{s.server.conninfo(),
                                    {single_node_shard, epoch}};

  auto late = batch_of({user_created{customer("u-2", "late@b.ru")}});
  auto res = old_owner.commit({&late});
  CHECK_FALSE(res.committed);
  CHECK(res.batches[0].status == batch_status::failed);
  CHECK_THAT(res.batches[0].message, Catch::Contains("fenced"));
  CHECK(old_owner.fenced());
  auto again = old_owner.commit({&late});
  CHECK_FALSE(again.committed);

  auto next = batch_of({user_created{customer("u-3", "next@b.ru")}});
  CHECK(new_owner.commit({&next}).committed);
  CHECK_FALSE(new_owner.fenced());
  CHECK(s.count("SELECT count(*) FROM users WHERE email = 'late@b.ru'") == 0);
  CHECK(s.count("SELECT count(*) FROM users") == 2);
}

TEST_CASE("postgres: a shard claimed at a higher epoch refuses the old "
          "owner's late batch alone, and nothing of it lands",
          "[postgres]") {
  pg_store s;
  auto admin = pg_connection::open(s.server.conninfo());
  const int64_t shard = 7001;
  // Node A claims the shard at etcd's revision 40 and writes through it.
  REQUIRE(claim_shard(admin, shard, 40, "node-a"));
  postgres_journal_writer a{s.server.conninfo()};
  auto first = batch_of({stock_changed{{"w-1", "p-1", 5, 0}}});
  first.fence = {shard, 40};
  REQUIRE(a.commit({&first}).committed);

  // Node B takes it over at revision 57; a stale claim cannot go back.
  REQUIRE(claim_shard(admin, shard, 57, "node-b"));
  CHECK_FALSE(claim_shard(admin, shard, 50, "node-a"));
  CHECK_FALSE(claim_shard(admin, shard, 57, "node-a"));
  CHECK(s.count("SELECT epoch FROM shard_owner WHERE shard = 7001") == 57);

  // A's late batch is refused; another shard's batch and an unfenced one
  // in the same group still land.
  auto late = batch_of({stock_changed{{"w-1", "p-1", 3, 0}},
                        user_created{customer("u-late", "late@b.ru")}});
  late.fence = {shard, 40};
  REQUIRE(claim_shard(admin, 7002, 3, "node-a"));
  auto other = batch_of({user_created{customer("u-2", "other@b.ru")}});
  other.fence = {7002, 3};
  auto plain = batch_of({user_created{customer("u-3", "plain@b.ru")}});
  auto res = a.commit({&late, &other, &plain});
  REQUIRE(res.committed);
  CHECK(res.batches[0].status == batch_status::fenced);
  CHECK_THAT(res.batches[0].message, Catch::Contains("fenced"));
  CHECK(res.batches[1].status == batch_status::committed);
  CHECK(res.batches[2].status == batch_status::committed);
  CHECK_FALSE(a.fenced()); // the writer itself may go on writing
  CHECK(s.count("SELECT on_hand FROM stock WHERE warehouse_id = 'w-1'") == 5);
  CHECK(s.count("SELECT count(*) FROM users WHERE id = 'u-late'") == 0);
  CHECK(s.count("SELECT count(*) FROM users") == 2);

  // B, at the new epoch, writes the shard.
  postgres_journal_writer b{s.server.conninfo()};
  auto next = batch_of({stock_changed{{"w-1", "p-1", 1, 0}}});
  next.fence = {shard, 57};
  CHECK(b.commit({&next}).committed);
  CHECK(s.count("SELECT on_hand FROM stock WHERE warehouse_id = 'w-1'") == 6);
}

TEST_CASE("postgres: text sorts bytewise, as SQLite's BINARY collation does",
          "[postgres]") {
  pg_store s;
  for (const char* id : {"p-b", "p-B", "p-а", "p-1", "p-_"})
    s.db.run(upsert_product({id, "x", "y", "c", 1, 1}));
  auto rows = s.db.query({"SELECT id FROM products ORDER BY id", {}});
  std::vector<std::string> ids;
  for (int i = 0; i < rows.size(); ++i)
    ids.push_back(rows.col_text(i, 0));
  CHECK(ids == std::vector<std::string>{"p-1", "p-B", "p-_", "p-b", "p-а"});
}

TEST_CASE("postgres: search stems Russian and reads «ё» as «е»", "[postgres]") {
  pg_store s;
  s.db.run(upsert_product({"p-2", "Платье чёрное", "Хлопок", "c", 1, 1}));
  s.db.run(upsert_product({"p-3", "Кардиган", "Шерсть", "c", 1, 1}));
  auto find = [&](const std::string& q) {
    return s.count("SELECT count(*) FROM products WHERE search @@"
                   " plainto_tsquery('russian', translate('" +
                   q + "', 'ёЁ', 'еЕ'))");
  };
  CHECK(find("платья") == 1);
  CHECK(find("платье черное") == 1);
  CHECK(find("Чайники") == 1);
  CHECK(find("платье кардиган") == 0);
}

TEST_CASE("postgres: orders that two nodes write at once take different "
          "numbers, neither waiting for the other",
          "[postgres]") {
  pg_store s;
  s.db.run(insert_user(customer("u-1", "a@b.ru")));
  for (auto& x : insert_order(pending_order("o-0", "k0")))
    s.db.run(x);
  auto a = pg_connection::open(s.server.conninfo());
  auto b = pg_connection::open(s.server.conninfo());
  // Taking MAX(number) + 1, b's insert would wait for a's transaction and
  // then break the unique index; let it fail in 5 s instead of hanging.
  b.exec("SET statement_timeout = 5000");
  a.exec("BEGIN");
  for (auto& x : insert_order(pending_order("o-1", "k1")))
    a.run(x);
  b.exec("BEGIN");
  for (auto& x : insert_order(pending_order("o-2", "k2")))
    b.run(x);
  b.exec("COMMIT");
  a.exec("COMMIT");
  auto n = [&](const std::string& id) {
    return s.count("SELECT number FROM orders WHERE id = '" + id + "'");
  };
  CHECK(n("o-0") == 1);
  CHECK(n("o-1") == 2);
  CHECK(n("o-2") == 3);
}
