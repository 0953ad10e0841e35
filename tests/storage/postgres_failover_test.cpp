// Failover on PostgreSQL: a primary with a synchronous streaming standby; the
// primary stops in the middle of a stream of commits and the standby is
// promoted. The journal writer, given both hosts, goes on on the new primary,
// and every batch it acknowledged is there.

#include <set>
#include <string>
#include <thread>

#include <catch2/catch.hpp>

#include "storage/catalog_repo.hpp"
#include "storage/postgres.hpp"
#include "storage/postgres_journal.hpp"
#include "storage/postgres_schema.hpp"
#include "support/postgres_server.hpp"

using namespace berry;
using namespace berry::storage;

namespace {

journal_batch new_user(int i) {
  std::string id = "u-" + std::to_string(i);
  return {{user_created{{id, id + "@b.ru", "Аня", "customer", "h", 1}}}};
}

int64_t count_users(pg_connection& db) {
  return db.query({"SELECT count(*) FROM users", {}}).col_int(0, 0);
}

} // namespace

TEST_CASE("postgres: when the primary stops and its standby is promoted, the "
          "writer goes on there and nothing acknowledged is lost",
          "[postgres]") {
  test::postgres_server primary;
  {
    auto db = pg_connection::open(primary.conninfo());
    migrate(db);
  }
  test::postgres_server standby{test::postgres_server::standby_of{primary}};
  std::string both = "host=" + primary.dir() + "," + standby.dir() +
                     " port=5432,5432 user=berry dbname=berry"
                     " target_session_attrs=read-write connect_timeout=5";
  postgres_journal_writer w{both};

  std::set<int> acknowledged;
  int next = 0;
  for (; next < 20; ++next) {
    auto b = new_user(next);
    if (w.commit({&b}).committed)
      acknowledged.insert(next);
  }
  REQUIRE(acknowledged.size() == 20);
  // Synchronous replication: the standby holds what was acknowledged.
  auto on_standby = pg_connection::open(standby.conninfo());
  CHECK(count_users(on_standby) == 20);

  primary.stop("immediate");
  auto lost = new_user(next++);
  auto res = w.commit({&lost});
  CHECK_FALSE(res.committed);
  // The writer sees the closed connection before it sends anything, and
  // no host takes writes yet: refused, and known not to be stored.
  CHECK(res.batches[0].status == batch_status::unreachable);
  CHECK_FALSE(w.unknown_outcome());
  CHECK_FALSE(w.connected());

  standby.promote();
  for (int i = 0; i < 10; ++i, ++next) {
    auto b = new_user(next);
    if (w.commit({&b}).committed)
      acknowledged.insert(next);
  }
  CHECK(w.reconnects() == 1);
  CHECK(acknowledged.size() == 30);

  auto now = pg_connection::open(standby.conninfo());
  CHECK(now.is_primary());
  for (int i : acknowledged) {
    auto rows = now.query({"SELECT count(*) FROM users WHERE id = ?1",
                           {db_value::of("u-" + std::to_string(i))}});
    INFO("u-" << i);
    CHECK(rows.col_int(0, 0) == 1);
  }
  CHECK(count_users(now) == 30);
}

TEST_CASE("postgres: a group whose connection is cut while it runs has an "
          "unknown outcome, and the next group commits on a new connection",
          "[postgres]") {
  test::postgres_server server;
  pg_connection admin = pg_connection::open(server.conninfo());
  migrate(admin);
  postgres_journal_writer w{server.conninfo()};
  auto pid = w.db().query({"SELECT pg_backend_pid()", {}}).col_int(0, 0);

  // The admin holds the users table; the writer's group waits for it, and
  // its backend is terminated while it waits.
  admin.exec("BEGIN; LOCK TABLE users IN ACCESS EXCLUSIVE MODE");
  std::thread cutter{[&] {
    auto watch = pg_connection::open(server.conninfo());
    for (;;) { // until the writer waits for the lock: an event, not a time
      auto waiting =
          watch.query({"SELECT count(*) FROM pg_stat_activity WHERE pid = ?1"
                       " AND wait_event_type = 'Lock'",
                       {db_value::of(pid)}});
      if (waiting.col_int(0, 0) == 1)
        break;
    }
    watch.query({"SELECT pg_terminate_backend(?1)", {db_value::of(pid)}});
  }};
  auto cut = new_user(1);
  auto res = w.commit({&cut});
  cutter.join();
  admin.exec("ROLLBACK");
  CHECK_FALSE(res.committed);
  CHECK(res.batches[0].status == batch_status::unknown);
  CHECK(w.unknown_outcome());

  auto next = new_user(2);
  CHECK(w.commit({&next}).committed);
  CHECK_FALSE(w.unknown_outcome());
  CHECK(w.reconnects() == 1);
  CHECK(count_users(admin) == 1);
}
