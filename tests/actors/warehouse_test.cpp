// The warehouse actor on the testing scheduler, writing through a real
// journal: reservations, commits, releases, restocks and admin counts, as
// the order saga and the admin see them, and as the database keeps them.

#include "actors/warehouse.hpp"

#include <catch2/catch.hpp>

#include "warehouse_fixture.hpp"

using berry::berry_errc;
using berry::test::warehouse_fixture;

TEST_CASE_METHOD(warehouse_fixture,
                 "a warehouse never hands out more than it holds") {
  start(3);
  std::vector<std::shared_ptr<berry::test::reply<berry::reservation>>> rs;
  for (int i = 1; i <= 5; ++i)
    rs.push_back(send_reserve("o-" + std::to_string(i), {{"p-1", 1}}));
  sched.run();
  int ok = 0;
  int refused = 0;
  for (auto& r : rs) {
    if (r->value) {
      ++ok;
    } else {
      CHECK(r->code() == berry_errc::out_of_stock);
      CHECK(r->detail() == "p-1: 0 left");
      ++refused;
    }
  }
  CHECK(ok == 3);
  CHECK(refused == 2);
  auto s = db_stock("p-1");
  CHECK(s.on_hand == 3);
  CHECK(s.reserved == 3);
  CHECK(live_stock("p-1").available() == 0);
}

TEST_CASE_METHOD(warehouse_fixture,
                 "a reservation takes every line or none of them") {
  start(3, 1);
  auto r = reserve("o-1", {{"p-1", 2}, {"p-2", 2}});
  CHECK(r.code() == berry_errc::out_of_stock);
  CHECK(r.detail() == "p-2: 1 left");
  CHECK(live_stock("p-1").reserved == 0);
  CHECK(db_stock("p-1").reserved == 0);
  CHECK(db_stock("p-2").reserved == 0);
  CHECK(db_order_state("o-1") == berry::hold_state::none);
  auto fits = reserve("o-1", {{"p-1", 2}, {"p-2", 1}});
  REQUIRE(fits.value);
  CHECK(fits.value->lines.size() == 2);
  CHECK(db_stock("p-1").reserved == 2);
  CHECK(db_stock("p-2").reserved == 1);
}

TEST_CASE_METHOD(warehouse_fixture,
                 "reserving again for the same order answers what it holds") {
  start(5);
  // Twice at once: the second arrives while the first is being written.
  auto a = send_reserve("o-1", {{"p-1", 2}});
  auto b = send_reserve("o-1", {{"p-1", 2}});
  sched.run();
  auto c = reserve("o-1", {{"p-1", 2}});
  REQUIRE(a->value);
  REQUIRE(b->value);
  REQUIRE(c.value);
  CHECK(b->value->expires_at_ms == a->value->expires_at_ms);
  CHECK(c.value->expires_at_ms == a->value->expires_at_ms);
  CHECK(c.value->lines.at(0).qty == 2);
  CHECK(db_stock("p-1").reserved == 2);
  CHECK(live_stock("p-1").available() == 3);
}

TEST_CASE_METHOD(warehouse_fixture,
                 "commit turns a reservation into a sale, once") {
  start(3);
  REQUIRE(reserve("o-1", {{"p-1", 2}}).value);
  CHECK(ask<bool>(wh, berry::commit_atom_v, std::string{"o-1"}).value);
  CHECK(ask<bool>(wh, berry::commit_atom_v, std::string{"o-1"}).value);
  auto s = db_stock("p-1");
  CHECK(s.on_hand == 1);
  CHECK(s.reserved == 0);
  CHECK(db_order_state("o-1") == berry::hold_state::committed);
  // Kept, so that a return knows how much to put back.
  CHECK(db_reservation_lines("o-1") == 1);
  auto unknown = ask<bool>(wh, berry::commit_atom_v, std::string{"o-9"});
  CHECK(unknown.code() == berry_errc::not_found);
}

TEST_CASE_METHOD(warehouse_fixture,
                 "release frees the units and may be repeated") {
  start(3);
  REQUIRE(reserve("o-1", {{"p-1", 2}}).value);
  CHECK(ask<bool>(wh, berry::release_atom_v, std::string{"o-1"}, int64_t{0})
            .value);
  CHECK(ask<bool>(wh, berry::release_atom_v, std::string{"o-1"}, int64_t{0})
            .value);
  CHECK(ask<bool>(wh, berry::release_atom_v, std::string{"o-9"}, int64_t{0})
            .value);
  CHECK(db_stock("p-1").reserved == 0);
  CHECK(db_stock("p-1").on_hand == 3);
  CHECK(db_order_state("o-1") == berry::hold_state::released);
  CHECK(db_reservation_lines("o-1") == 0);
  auto late = ask<bool>(wh, berry::commit_atom_v, std::string{"o-1"});
  CHECK(late.code() == berry_errc::conflict);
  // The saga may plan again and reserve for the same order.
  REQUIRE(reserve("o-1", {{"p-1", 3}}).value);
  CHECK(db_stock("p-1").reserved == 3);
}

TEST_CASE_METHOD(warehouse_fixture,
                 "restock puts a committed order's units back, once") {
  start(3);
  REQUIRE(reserve("o-1", {{"p-1", 2}}).value);
  auto early = ask<bool>(wh, berry::restock_atom_v, std::string{"o-1"});
  CHECK(early.code() == berry_errc::conflict);
  REQUIRE(ask<bool>(wh, berry::commit_atom_v, std::string{"o-1"}).value);
  CHECK(db_stock("p-1").on_hand == 1);
  CHECK(ask<bool>(wh, berry::restock_atom_v, std::string{"o-1"}).value);
  CHECK(ask<bool>(wh, berry::restock_atom_v, std::string{"o-1"}).value);
  auto s = db_stock("p-1");
  CHECK(s.on_hand == 3);
  CHECK(s.reserved == 0);
  CHECK(db_order_state("o-1") == berry::hold_state::restocked);
  CHECK(db_reservation_lines("o-1") == 0);
  auto never = ask<bool>(wh, berry::restock_atom_v, std::string{"o-9"});
  CHECK(never.code() == berry_errc::conflict);
}

TEST_CASE_METHOD(warehouse_fixture,
                 "admin may not count fewer units than are reserved") {
  start(3);
  REQUIRE(reserve("o-1", {{"p-1", 2}}).value);
  auto below = ask<berry::stock_level>(wh, berry::stock_atom_v, caf::put_atom_v,
                                       std::string{"p-1"}, int64_t{1});
  CHECK(below.code() == berry_errc::conflict);
  auto negative =
      ask<berry::stock_level>(wh, berry::stock_atom_v, caf::put_atom_v,
                              std::string{"p-1"}, int64_t{-1});
  CHECK(negative.code() == berry_errc::validation);
  auto ok = ask<berry::stock_level>(wh, berry::stock_atom_v, caf::put_atom_v,
                                    std::string{"p-1"}, int64_t{7});
  REQUIRE(ok.value);
  CHECK(ok.value->on_hand == 7);
  CHECK(ok.value->reserved == 2);
  CHECK(db_stock("p-1").on_hand == 7);
  CHECK(db_stock("p-1").reserved == 2);
}

TEST_CASE_METHOD(warehouse_fixture,
                 "a write the database refuses is undone and reported") {
  start(1);
  // Someone else took units behind the warehouse's back: its state says 5
  // on hand, the database 1. The CHECK constraint is the backstop.
  auto db = berry::storage::database::open(path);
  berry::storage::execute(db, berry::storage::put_stock({"w-1", "p-1", 1, 0}));
  REQUIRE(ask<berry::stock_level>(wh, berry::stock_atom_v, caf::put_atom_v,
                                  std::string{"p-1"}, int64_t{5})
              .value);
  berry::storage::execute(db, berry::storage::put_stock({"w-1", "p-1", 1, 0}));
  auto r = reserve("o-1", {{"p-1", 3}});
  CHECK(r.code() == berry_errc::conflict);
  CHECK(live_stock("p-1").reserved == 0);
  CHECK(db_stock("p-1").reserved == 0);
  CHECK(ask<bool>(wh, berry::commit_atom_v, std::string{"o-1"}).code() ==
        berry_errc::not_found);
}

TEST_CASE_METHOD(warehouse_fixture,
                 "a committed order is restocked after its hold left memory") {
  start(3);
  REQUIRE(reserve("o-1", {{"p-1", 2}}).value);
  REQUIRE(ask<bool>(wh, berry::commit_atom_v, std::string{"o-1"}).value);
  lookups.clear();
  // The sale is stored, so the warehouse asks storage about it again.
  CHECK(ask<bool>(wh, berry::commit_atom_v, std::string{"o-1"}).value);
  CHECK(lookups == std::vector<std::string>{"o-1"});
  auto again = reserve("o-1", {{"p-1", 2}});
  REQUIRE(again.value);
  CHECK(again.value->lines.at(0).qty == 2);
  CHECK(live_stock("p-1").on_hand == 1);
  CHECK(live_stock("p-1").reserved == 0);
  CHECK(ask<bool>(wh, berry::restock_atom_v, std::string{"o-1"}).value);
  CHECK(lookups.size() == 3);
  CHECK(live_stock("p-1").on_hand == 3);
  auto s = db_stock("p-1");
  CHECK(s.on_hand == 3);
  CHECK(s.reserved == 0);
  CHECK(db_order_state("o-1") == berry::hold_state::restocked);
  CHECK(ask<bool>(wh, berry::restock_atom_v, std::string{"o-1"}).value);
  CHECK(live_stock("p-1").on_hand == 3);
  CHECK(reserve("o-1", {{"p-1", 1}}).code() == berry_errc::conflict);
}

TEST_CASE_METHOD(warehouse_fixture,
                 "a warehouse asks storage only about orders not in memory") {
  start(5);
  REQUIRE(reserve("o-1", {{"p-1", 1}}).value);
  CHECK(lookups == std::vector<std::string>{"o-1"}); // new: maybe seen before
  REQUIRE(reserve("o-1", {{"p-1", 1}}).value);
  REQUIRE(ask<bool>(wh, berry::release_atom_v, std::string{"o-1"}, int64_t{0})
              .value);
  CHECK(lookups.size() == 1); // held: answered from memory
  // Released and stored, it left memory; a new plan for it is looked up.
  REQUIRE(reserve("o-1", {{"p-1", 2}}).value);
  CHECK(lookups.size() == 2);
  CHECK(db_stock("p-1").reserved == 2);
}

namespace {

/// The payloads of journal_probe, as stored.
std::vector<std::string> probes(const std::string& path) {
  auto db = berry::storage::database::open(
      path, berry::storage::open_mode::read_only);
  auto st = db.prepare("SELECT payload FROM journal_probe ORDER BY rowid");
  std::vector<std::string> out;
  while (st.step())
    out.push_back(st.col_text(0));
  return out;
}

berry::journal_batch probe(const std::string& payload) {
  return {{berry::probe_written{payload}}};
}

} // namespace

TEST_CASE_METHOD(warehouse_fixture,
                 "a commit stores its order's commands with the sale, "
                 "alone on a repeat, and none when refused") {
  start(3);
  REQUIRE(reserve("o-1", {{"p-1", 2}}).value);
  CHECK(ask<bool>(wh, berry::commit_atom_v, std::string{"o-1"}, probe("paid"))
            .value);
  CHECK(db_stock("p-1").on_hand == 1);
  CHECK(probes(path) == std::vector<std::string>{"paid"});
  CHECK(ask<bool>(wh, berry::commit_atom_v, std::string{"o-1"}, probe("again"))
            .value);
  CHECK(probes(path) == std::vector<std::string>{"paid", "again"});
  auto unknown =
      ask<bool>(wh, berry::commit_atom_v, std::string{"o-9"}, probe("never"));
  CHECK(unknown.code() == berry_errc::not_found);
  CHECK(probes(path) == std::vector<std::string>{"paid", "again"});
}

TEST_CASE_METHOD(warehouse_fixture,
                 "a reservation stores its order's plan with the hold, "
                 "alone on a repeat, and none when refused") {
  start(3);
  auto ask_reserve = [&](const std::string& id, int32_t qty,
                         const std::string& payload) {
    berry::reserve_request r{id, {{"p-1", qty, 100, "w-1"}}};
    return ask<berry::reservation>(wh, berry::reserve_atom_v, r,
                                   probe(payload));
  };
  CHECK(ask_reserve("o-1", 2, "plan").value);
  CHECK(db_stock("p-1").reserved == 2);
  CHECK(probes(path) == std::vector<std::string>{"plan"});
  CHECK(ask_reserve("o-1", 2, "again").value);
  CHECK(probes(path) == std::vector<std::string>{"plan", "again"});
  auto refused = ask_reserve("o-2", 5, "never");
  CHECK(refused.code() == berry_errc::out_of_stock);
  CHECK(db_stock("p-1").reserved == 2);
  CHECK(probes(path) == std::vector<std::string>{"plan", "again"});
}
