// A reserve that arrives after the saga released its attempt (issue 14: a
// takeover delayed it) holds nothing, in memory and after a restart from
// storage; the next attempt, after the saga planned again, is held. A hold
// resumed from storage keeps the attempt it was reserved for.

#include <catch2/catch.hpp>

#include "warehouse_fixture.hpp"

using namespace std::chrono_literals;
using berry::berry_errc;
using berry::test::warehouse_fixture;

namespace {

/// o-1 for `qty` of p-1, as the saga's plan `attempt` asks it.
berry::reserve_request plan(int64_t attempt, int32_t qty = 2) {
  return {"o-1", {{"p-1", qty, 100, "w-1"}}, attempt};
}

/// The warehouse starts again from storage (a restart, a takeover).
void restart(warehouse_fixture& f) {
  caf::anon_send_exit(f.wh, caf::exit_reason::user_shutdown);
  f.sched.run();
  f.wh = f.spawn_from_storage();
  f.sched.run();
}

} // namespace

TEST_CASE_METHOD(warehouse_fixture,
                 "a reserve that arrives after the release of its attempt "
                 "holds nothing, after a restart too; the next attempt holds") {
  start(5);
  // The saga heard "unavailable" for attempt 1 and released it at once:
  // nothing was held yet, and the release is remembered.
  REQUIRE(ask<bool>(wh, berry::release_atom_v, std::string{"o-1"}, int64_t{1})
              .value);
  CHECK(db_order_state("o-1") == berry::hold_state::released);
  // Then attempt 1's reserve arrives.
  auto late = ask<berry::reservation>(wh, berry::reserve_atom_v, plan(1));
  CHECK(late.code() == berry_errc::conflict);
  CHECK(live_stock("p-1").available() == 5);
  CHECK(db_stock("p-1").reserved == 0);
  CHECK(db_reservation_lines("o-1") == 0);
  CHECK(published.back()->find("p-1")->available == 5);

  restart(*this);
  late = ask<berry::reservation>(wh, berry::reserve_atom_v, plan(1));
  CHECK(late.code() == berry_errc::conflict);
  CHECK(live_stock("p-1").available() == 5);
  CHECK(db_stock("p-1").reserved == 0);

  // The saga planned again: attempt 2 is held.
  auto next = ask<berry::reservation>(wh, berry::reserve_atom_v, plan(2));
  REQUIRE(next.value);
  CHECK(live_stock("p-1").available() == 3);
  CHECK(db_stock("p-1").reserved == 2);
  // A release of attempt 1 that comes only now leaves attempt 2's hold.
  CHECK(ask<bool>(wh, berry::release_atom_v, std::string{"o-1"}, int64_t{1})
            .value);
  CHECK(db_stock("p-1").reserved == 2);
  CHECK(db_order_state("o-1") == berry::hold_state::reserved);
}

TEST_CASE_METHOD(warehouse_fixture,
                 "a repeat of a reserve whose attempt was held and released "
                 "holds nothing; without attempts a release holds nothing "
                 "back") {
  start(5);
  REQUIRE(ask<berry::reservation>(wh, berry::reserve_atom_v, plan(1)).value);
  REQUIRE(ask<bool>(wh, berry::release_atom_v, std::string{"o-1"}, int64_t{1})
              .value);
  CHECK(live_stock("p-1").available() == 5);
  auto again = ask<berry::reservation>(wh, berry::reserve_atom_v, plan(1));
  CHECK(again.code() == berry_errc::conflict);
  CHECK(db_stock("p-1").reserved == 0);
  // Without an attempt (0) a release of an unknown order stores nothing,
  // and a reserve after it is held, as before attempts.
  REQUIRE(ask<bool>(wh, berry::release_atom_v, std::string{"o-2"}, int64_t{0})
              .value);
  CHECK(db_order_state("o-2") == berry::hold_state::none);
  CHECK(reserve("o-2", {{"p-1", 1}}).value);
  CHECK(db_stock("p-1").reserved == 1);
}

TEST_CASE_METHOD(warehouse_fixture,
                 "after a restart a held reserve keeps its attempt: the "
                 "release of an earlier attempt leaves it, its own lets it "
                 "go, and its late reserve is refused") {
  start(5);
  REQUIRE(ask<berry::reservation>(wh, berry::reserve_atom_v, plan(2)).value);
  restart(*this);
  // Attempt 1's release, delayed by the takeover, comes after attempt 2's
  // hold: the hold stays.
  CHECK(ask<bool>(wh, berry::release_atom_v, std::string{"o-1"}, int64_t{1})
            .value);
  CHECK(live_stock("p-1").available() == 3);
  CHECK(db_stock("p-1").reserved == 2);
  CHECK(db_order_state("o-1") == berry::hold_state::reserved);
  // Attempt 2's own release lets it go.
  REQUIRE(ask<bool>(wh, berry::release_atom_v, std::string{"o-1"}, int64_t{2})
              .value);
  CHECK(live_stock("p-1").available() == 5);
  CHECK(db_stock("p-1").reserved == 0);
  // A repeat of attempt 2's reserve, after another restart, holds nothing.
  restart(*this);
  auto late = ask<berry::reservation>(wh, berry::reserve_atom_v, plan(2));
  CHECK(late.code() == berry_errc::conflict);
  CHECK(live_stock("p-1").available() == 5);
  CHECK(db_stock("p-1").reserved == 0);
}

TEST_CASE_METHOD(warehouse_fixture,
                 "a hold resumed after a restart lapses as its attempt: a late "
                 "reserve of that attempt is refused, the next one holds") {
  ttl = 60s;
  start(5);
  REQUIRE(ask<berry::reservation>(wh, berry::reserve_atom_v, plan(2)).value);
  restart(*this);
  sched.advance_time(61s);
  sched.run();
  CHECK(db_order_state("o-1") == berry::hold_state::released);
  CHECK(live_stock("p-1").available() == 5);
  auto late = ask<berry::reservation>(wh, berry::reserve_atom_v, plan(2));
  CHECK(late.code() == berry_errc::conflict);
  CHECK(live_stock("p-1").available() == 5);
  CHECK(db_stock("p-1").reserved == 0);
  auto next = ask<berry::reservation>(wh, berry::reserve_atom_v, plan(3));
  REQUIRE(next.value);
  CHECK(db_stock("p-1").reserved == 2);
}
