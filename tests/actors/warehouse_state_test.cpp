#include "actors/warehouse.hpp"

#include <caf/sum_type.hpp>
#include <caf/variant.hpp>
#include <catch2/catch.hpp>

TEST_CASE("a warehouse refuses on-hand below what is reserved") {
  berry::warehouse_state st;
  st.info.id = "w-1";
  st.stock["p-1"] = {"w-1", "p-1", 10, 4};
  CHECK(st.check_on_hand("p-1", 3) == berry::berry_errc::conflict);
  CHECK(st.check_on_hand("p-1", -1) == berry::berry_errc::validation);
  CHECK(st.check_on_hand("p-1", 4) == berry::berry_errc::none);
  auto level = st.set_on_hand("p-1", 6);
  CHECK(level.on_hand == 6);
  CHECK(level.reserved == 4);
  CHECK(level.available() == 2);
}

TEST_CASE("a product a warehouse never stocked has zero stock there") {
  berry::warehouse_state st;
  st.info.id = "w-1";
  auto level = st.get("p-9");
  CHECK(level.warehouse_id == "w-1");
  CHECK(level.on_hand == 0);
  CHECK(level.available() == 0);
  CHECK(st.check_on_hand("p-9", 5) == berry::berry_errc::none);
}

TEST_CASE("a warehouse reports what it can hand out of each product") {
  berry::warehouse_state st;
  st.info.id = "w-1";
  st.stock["p-1"] = {"w-1", "p-1", 10, 4};
  st.stock["p-2"] = {"w-1", "p-2", 3, 0};
  auto all = st.report_all();
  CHECK(all.warehouse_id == "w-1");
  REQUIRE(all.items.size() == 2);
  int64_t sum = 0;
  for (auto& i : all.items)
    sum += i.available;
  CHECK(sum == 9);
  auto one = st.report_one("p-1");
  REQUIRE(one.items.size() == 1);
  CHECK(one.items[0].available == 6);
}

namespace {

berry::warehouse_state three_of_p1() {
  berry::warehouse_state st;
  st.info.id = "w-1";
  st.stock["p-1"] = {"w-1", "p-1", 3, 0};
  st.stock["p-2"] = {"w-1", "p-2", 1, 0};
  return st;
}

berry::reserve_request request(std::string order, std::string pid, int qty) {
  return {std::move(order), {{std::move(pid), qty, 100, "w-1"}}};
}

} // namespace

TEST_CASE("a reservation is all or nothing and names the short product") {
  auto st = three_of_p1();
  berry::reserve_request r{"o-1", {{"p-1", 2, 0, ""}, {"p-2", 2, 0, ""}}};
  auto d = st.decide_reserve(r, 1000);
  CHECK(d.error == berry::berry_errc::out_of_stock);
  CHECK(d.detail == "p-2: 1 left");
  // The same product twice counts once, summed.
  berry::reserve_request twice{"o-1", {{"p-1", 2, 0, ""}, {"p-1", 2, 0, ""}}};
  CHECK(st.decide_reserve(twice, 1000).detail == "p-1: 3 left");
  auto zero = st.decide_reserve(request("o-1", "p-1", 0), 1000);
  CHECK(zero.error == berry::berry_errc::validation);
  auto ok = st.decide_reserve(request("o-1", "p-1", 3), 1000);
  REQUIRE(ok.error == berry::berry_errc::none);
  st.apply(ok.change);
  CHECK(st.get("p-1").available() == 0);
  CHECK(st.reservation_of("o-1").expires_at_ms == 1000);
  // Asked again, it changes nothing.
  CHECK(st.decide_reserve(request("o-1", "p-1", 3), 2000).change.empty());
}

TEST_CASE("commit, release and restock follow the order's state") {
  auto st = three_of_p1();
  st.apply(st.decide_reserve(request("o-1", "p-1", 2), 1000).change);
  CHECK(st.decide_commit("o-9", 0).error == berry::berry_errc::not_found);
  CHECK(st.decide_restock("o-1").error == berry::berry_errc::conflict);
  CHECK(st.decide_commit("o-1", 1000).error == berry::berry_errc::conflict);
  st.apply(st.decide_commit("o-1", 999).change);
  CHECK(st.get("p-1").on_hand == 1);
  CHECK(st.get("p-1").reserved == 0);
  CHECK(st.decide_commit("o-1", 5000).change.empty());
  CHECK(st.decide_release("o-1").change.empty());
  st.apply(st.decide_restock("o-1").change);
  CHECK(st.get("p-1").on_hand == 3);
  CHECK(st.decide_restock("o-1").change.empty());
  CHECK(st.decide_reserve(request("o-1", "p-1", 1), 0).error ==
        berry::berry_errc::conflict);
}

TEST_CASE("only reservations whose time is up are due") {
  auto st = three_of_p1();
  st.apply(st.decide_reserve(request("o-1", "p-1", 1), 1000).change);
  st.apply(st.decide_reserve(request("o-2", "p-1", 1), 3000).change);
  CHECK(st.next_expiry() == 1000);
  CHECK(st.due(999).empty());
  REQUIRE(st.due(1000) == std::vector<std::string>{"o-1"});
  CHECK(st.decide_expire("o-2", 1000).change.empty());
  st.apply(st.decide_expire("o-1", 1000).change);
  CHECK(st.orders.at("o-1").state == berry::hold_state::released);
  CHECK(st.next_expiry() == 3000);
  CHECK(st.get("p-1").reserved == 1);
}

TEST_CASE("undoing a failed change keeps the changes made after it") {
  auto st = three_of_p1();
  auto first = st.decide_reserve(request("o-1", "p-1", 1), 1000).change;
  st.apply(first);
  auto second = st.decide_reserve(request("o-2", "p-1", 2), 1000).change;
  st.apply(second);
  st.undo(first);
  CHECK(st.get("p-1").reserved == 2);
  CHECK(st.orders.count("o-1") == 0);
  CHECK(st.orders.at("o-2").state == berry::hold_state::reserved);
  auto count = st.decide_on_hand("p-1", 5).change;
  st.apply(count);
  st.apply(st.decide_commit("o-2", 0).change);
  st.undo(count);
  CHECK(st.get("p-1").on_hand == 1);
  CHECK(st.get("p-1").reserved == 0);
}

TEST_CASE("a change is stored as stock deltas plus the order's state") {
  using berry::hold_changed;
  using berry::stock_changed;
  auto st = three_of_p1();
  auto reserve = st.decide_reserve(request("o-1", "p-1", 2), 1000).change;
  auto b = st.batch(reserve, 77).commands;
  REQUIRE(b.size() == 2);
  REQUIRE(caf::holds_alternative<stock_changed>(b[0]));
  CHECK(caf::get<stock_changed>(b[0]).delta.reserved == 2);
  CHECK(caf::get<stock_changed>(b[0]).sold == 0); // held, not sold
  REQUIRE(caf::holds_alternative<hold_changed>(b[1]));
  auto& held = caf::get<hold_changed>(b[1]);
  CHECK(held.state == berry::hold_state::reserved);
  CHECK(held.expires_at_ms == 1000);
  CHECK(held.at_ms == 77);
  CHECK(held.fresh); // no hold of o-1 before: nothing of it stored
  REQUIRE(held.lines.size() == 1);
  st.apply(reserve);
  auto commit = st.batch(st.decide_commit("o-1", 0).change, 78).commands;
  REQUIRE(commit.size() == 2);
  CHECK(caf::get<stock_changed>(commit[0]).delta.on_hand == -2);
  CHECK(caf::get<stock_changed>(commit[0]).sold == 2);
  CHECK(caf::get<hold_changed>(commit[1]).state ==
        berry::hold_state::committed);
  CHECK_FALSE(caf::get<hold_changed>(commit[1]).fresh);
  st.apply(st.decide_commit("o-1", 0).change);
  auto restock = st.batch(st.decide_restock("o-1").change, 79).commands;
  REQUIRE(restock.size() == 2);
  CHECK(caf::get<stock_changed>(restock[0]).delta.on_hand == 2);
  CHECK(caf::get<stock_changed>(restock[0]).sold == -2);
  auto count = st.batch(st.decide_on_hand("p-9", 4).change, 79).commands;
  REQUIRE(count.size() == 1);
  CHECK(caf::get<stock_changed>(count[0]).delta.on_hand == 4);
  CHECK(caf::get<stock_changed>(count[0]).sold == 0); // a count, not a sale
  // A release puts nothing on or off the shelf.
  st.apply(st.decide_reserve(request("o-2", "p-1", 1), 1000).change);
  auto release = st.batch(st.decide_release("o-2").change, 80).commands;
  REQUIRE(release.size() == 2);
  CHECK(caf::get<stock_changed>(release[0]).sold == 0);
}

TEST_CASE("a warehouse resumes only the reservations it still holds") {
  berry::warehouse_state st;
  auto reserved = berry::hold_state::reserved;
  berry::stored_hold r{"o-1", {reserved, {{"p-1", 2, 0, "w-1"}}, 5000, 2}};
  berry::stored_hold s{"o-2", {reserved, {{"p-1", 1, 0, "w-1"}}, 4000, 0}};
  st.resume({r, s});
  REQUIRE(st.orders.size() == 2);
  CHECK(st.orders.at("o-1").state == berry::hold_state::reserved);
  CHECK(st.orders.at("o-1").lines.at(0).qty == 2);
  CHECK(st.orders.at("o-1").attempt == 2);
  CHECK(st.next_expiry() == 4000);
  CHECK(st.due(4999) == std::vector<std::string>{"o-2"});
  CHECK(st.due(5000) == std::vector<std::string>{"o-2", "o-1"});
}

TEST_CASE("the next expiry follows reservations as they settle") {
  auto st = three_of_p1();
  st.apply(st.decide_reserve(request("o-1", "p-1", 1), 1000).change);
  st.apply(st.decide_reserve(request("o-2", "p-1", 1), 2000).change);
  st.apply(st.decide_reserve(request("o-3", "p-1", 1), 3000).change);
  st.apply(st.decide_commit("o-1", 500).change);
  CHECK(st.next_expiry() == 2000);
  auto release = st.decide_release("o-2").change;
  st.apply(release);
  CHECK(st.next_expiry() == 3000);
  CHECK(st.due(5000) == std::vector<std::string>{"o-3"});
  // A release the journal refused puts the reservation back in line.
  st.undo(release);
  CHECK(st.next_expiry() == 2000);
  CHECK(st.expiry.size() == 2);
}

TEST_CASE("a settled hold leaves memory and comes back from storage") {
  auto st = three_of_p1();
  st.apply(st.decide_reserve(request("o-1", "p-1", 2), 1000).change);
  // A reserved hold is never forgotten: it may still expire.
  CHECK_FALSE(st.forget("o-1"));
  auto committed = st.decide_commit("o-1", 0).change;
  st.apply(committed);
  CHECK(st.forget("o-1"));
  CHECK(st.orders.empty());
  CHECK(st.expiry.empty());
  // Unknown now: a restock would be refused until storage gives it back.
  CHECK(st.decide_restock("o-1").error == berry::berry_errc::conflict);
  st.recall("o-1", *committed.after);
  // A hold in memory wins over an older stored one.
  st.recall("o-1", {berry::hold_state::released, {}, 0});
  CHECK(st.orders.at("o-1").state == berry::hold_state::committed);
  st.apply(st.decide_restock("o-1").change);
  CHECK(st.get("p-1").on_hand == 3);
  CHECK(st.decide_reserve(request("o-1", "p-1", 1), 0).error ==
        berry::berry_errc::conflict);
}
