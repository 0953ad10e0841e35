// The saga counts its plans: each reserve and release carries the plan's
// attempt, so a warehouse can refuse a reserve that arrives after the
// release of its attempt (tests/actors/warehouse_attempt_test.cpp), while
// the re-reserve after planning again carries the next one.

#include "actors/order_saga.hpp"

#include <catch2/catch.hpp>

using namespace berry;
namespace ev = berry::order_events;
namespace fx = berry::order_effects;

namespace {

/// Order o-1 for two p-1 with one warehouse to ask, pending.
order_saga pending_order(const std::string& warehouse, int64_t attempt) {
  order_record x;
  x.id = "o-1";
  x.lines = {{"p-1", 2, 500, warehouse}};
  x.total = 1000;
  x.payment_token = "tok_ok";
  x.attempt = attempt;
  set_status(x, order_status::pending, 100);
  order_saga_config cfg;
  cfg.warehouse_infos = {{"w-1", "One", {55.76, 37.62}}};
  cfg.warehouse_ids = {"w-1"};
  return order_saga::resume(std::move(x), std::move(cfg));
}

/// The one effect of `out`, as T.
template <class T>
T only(const order_effect_list& out) {
  REQUIRE(out.size() == 1);
  auto* x = std::get_if<T>(&out[0]);
  REQUIRE(x);
  return *x;
}

/// Plans: asks the stock of w-1, stores the plan, and gives the reserve.
fx::reserve plan(order_saga& s) {
  only<fx::ask_stock>(s.handle(ev::step{}, 1000));
  only<fx::journal>(s.handle(ev::stock_answered{"w-1", "p-1", 5}, 1000));
  return only<fx::reserve>(s.handle(ev::journal_done{}, 1000));
}

} // namespace

TEST_CASE("each plan is a new attempt: the release of a refused reserve "
          "carries its attempt, the re-reserve the next one") {
  auto s = pending_order("", 0);
  auto first = plan(s);
  CHECK(first.attempt == 1);
  CHECK(s.rec.attempt == 1);
  // Unreached (a takeover): released for attempt 1, then planned again.
  auto release = only<fx::release>(
      s.handle(ev::warehouse_answered{"w-1", berry_errc::unavailable}, 1000));
  CHECK(release.attempt == 1);
  only<fx::retry_in>(s.handle(ev::warehouse_answered{"w-1"}, 1000));
  auto second = plan(s);
  CHECK(second.attempt == 2);
  CHECK(s.rec.attempt == 2);
}

TEST_CASE("a saga resumed from storage reserves with its stored attempt") {
  auto s = pending_order("w-1", 3);
  auto r = only<fx::reserve>(s.handle(ev::step{}, 1000));
  CHECK(r.attempt == 3);
  // Refused there (its attempt was released before the takeover): the
  // release and the next plan go on from it.
  auto release = only<fx::release>(
      s.handle(ev::warehouse_answered{"w-1", berry_errc::conflict}, 1000));
  CHECK(release.attempt == 3);
  only<fx::ask_stock>(s.handle(ev::warehouse_answered{"w-1"}, 1000));
  only<fx::journal>(s.handle(ev::stock_answered{"w-1", "p-1", 5}, 1000));
  CHECK(only<fx::reserve>(s.handle(ev::journal_done{}, 1000)).attempt == 4);
}
