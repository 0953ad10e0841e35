// Reservations that lapse by themselves, availability that reaches the
// catalog, and a warehouse that starts again from what it stored.

#include "actors/warehouse.hpp"

#include <catch2/catch.hpp>

#include "warehouse_fixture.hpp"

using namespace std::chrono_literals;
using berry::berry_errc;
using berry::test::warehouse_fixture;

TEST_CASE_METHOD(warehouse_fixture,
                 "a reservation expires by itself and is then not sold") {
  ttl = 60s;
  start(3);
  REQUIRE(reserve("o-1", {{"p-1", 2}}).value);
  sched.advance_time(30s);
  sched.run();
  CHECK(live_stock("p-1").reserved == 2);
  sched.advance_time(30s);
  sched.run();
  CHECK(live_stock("p-1").reserved == 0);
  CHECK(db_stock("p-1").reserved == 0);
  CHECK(db_order_state("o-1") == berry::hold_state::released);
  auto late = ask<bool>(wh, berry::commit_atom_v, std::string{"o-1"});
  CHECK(late.code() == berry_errc::conflict);
  CHECK(db_stock("p-1").on_hand == 3);
}

TEST_CASE_METHOD(warehouse_fixture,
                 "only the reservations whose time is up expire") {
  ttl = 60s;
  start(5);
  REQUIRE(reserve("o-1", {{"p-1", 1}}).value);
  sched.advance_time(40s);
  sched.run();
  REQUIRE(reserve("o-2", {{"p-1", 2}}).value);
  REQUIRE(reserve("o-3", {{"p-1", 1}}).value);
  REQUIRE(ask<bool>(wh, berry::commit_atom_v, std::string{"o-3"}).value);
  sched.advance_time(20s);
  sched.run();
  CHECK(db_order_state("o-1") == berry::hold_state::released);
  CHECK(db_order_state("o-2") == berry::hold_state::reserved);
  CHECK(live_stock("p-1").reserved == 2);
  sched.advance_time(40s);
  sched.run();
  CHECK(db_order_state("o-2") == berry::hold_state::released);
  CHECK(db_order_state("o-3") == berry::hold_state::committed);
  auto s = db_stock("p-1");
  CHECK(s.reserved == 0);
  CHECK(s.on_hand == 4);
}

TEST_CASE_METHOD(warehouse_fixture,
                 "every stock change reaches the catalog's snapshot") {
  start(3, 4);
  sched.run();
  REQUIRE_FALSE(published.empty());
  CHECK(published.back()->find("p-1")->available == 3);
  REQUIRE(reserve("o-1", {{"p-1", 2}}).value);
  sched.advance_time(100ms); // the catalog gathers changes for 20 ms
  sched.run();
  CHECK(published.back()->find("p-1")->available == 1);
  REQUIRE(ask<berry::stock_level>(wh, berry::stock_atom_v, caf::put_atom_v,
                                  std::string{"p-2"}, int64_t{9})
              .value);
  REQUIRE(ask<bool>(wh, berry::release_atom_v, std::string{"o-1"}, int64_t{0})
              .value);
  sched.advance_time(100ms);
  sched.run();
  CHECK(published.back()->find("p-1")->available == 3);
  CHECK(published.back()->find("p-2")->available == 9);
}

TEST_CASE_METHOD(warehouse_fixture,
                 "a restarted warehouse keeps its reservations and expiry") {
  ttl = 60s;
  start(5);
  auto held = reserve("o-1", {{"p-1", 2}});
  REQUIRE(held.value);
  REQUIRE(reserve("o-2", {{"p-1", 1}}).value);
  REQUIRE(ask<bool>(wh, berry::commit_atom_v, std::string{"o-2"}).value);
  REQUIRE(reserve("o-3", {{"p-1", 1}}).value);
  REQUIRE(ask<bool>(wh, berry::release_atom_v, std::string{"o-3"}, int64_t{0})
              .value);
  // A crash: the old actor is gone; a new one starts from the database.
  caf::anon_send_exit(wh, caf::exit_reason::kill);
  sched.run();
  wh = spawn_from_storage();
  sched.run();
  auto s = live_stock("p-1");
  CHECK(s.on_hand == 4);
  CHECK(s.reserved == 2);
  auto again = reserve("o-1", {{"p-1", 2}});
  REQUIRE(again.value);
  CHECK(again.value->expires_at_ms == held.value->expires_at_ms);
  CHECK(ask<bool>(wh, berry::commit_atom_v, std::string{"o-3"}).code() ==
        berry_errc::conflict);
  // The committed order's quantities survived: a return restocks them.
  CHECK(ask<bool>(wh, berry::restock_atom_v, std::string{"o-2"}).value);
  CHECK(live_stock("p-1").on_hand == 5);
  sched.advance_time(60s);
  sched.run();
  CHECK(live_stock("p-1").reserved == 0);
  CHECK(db_stock("p-1").reserved == 0);
  CHECK(db_order_state("o-1") == berry::hold_state::released);
}
