// The order's saga without actors: each event in, the effects out, for
// every branch of checkout, compensation, cancel, return and delivery.

#include "actors/order_saga.hpp"

#include <catch2/catch.hpp>

using namespace berry;
namespace ev = berry::order_events;
namespace fx = berry::order_effects;
using stage = order_saga::stage;
using texts = std::vector<std::string>;

namespace {

const geo_point home{55.75, 37.62};

order_saga_config config(bool dispatcher = false) {
  order_saga_config cfg;
  cfg.warehouse_infos = {{"w-near", "Near", {55.76, 37.62}},
                         {"w-far", "Far", {55.90, 37.40}}};
  cfg.warehouse_ids = {"w-far", "w-near"};
  cfg.has_dispatcher = dispatcher;
  return cfg;
}

/// Order o-1 for two p-1, in `status` (its history leads up to it).
order_record order(order_status status = order_status::pending,
                   const std::string& warehouse = {}) {
  order_record x;
  x.id = "o-1";
  x.user_id = "u-1";
  x.lines = {{"p-1", 2, 500, warehouse}};
  x.total = 1000;
  x.address.location = home;
  x.payment_token = "tok_ok";
  for (auto s :
       {order_status::pending, order_status::reserved, order_status::paid,
        order_status::packed, order_status::courier_assigned,
        order_status::picked_up, order_status::delivered}) {
    set_status(x, s, 100);
    if (s == status)
      return x;
  }
  set_status(x, status, 100);
  return x;
}

/// Feeds `e` and describes the effects.
texts feed(order_saga& s, const order_event& e, int64_t now = 1000) {
  texts out;
  for (auto& x : s.handle(e, now))
    out.push_back(describe(x, s.rec));
  return out;
}

/// The texts of the order's statuses, as the effects describe them.
texts statuses(const order_record& x) {
  texts out;
  for (auto& h : x.history)
    out.push_back(to_string(h.status));
  return out;
}

ev::warehouse_answered ok(const std::string& w) {
  return {w};
}

ev::warehouse_answered no(const std::string& w, berry_errc e) {
  return {w, e};
}

/// A saga that got as far as paying (reserved at w-near, stored).
order_saga paying() {
  auto s =
      order_saga::resume(order(order_status::reserved, "w-near"), config());
  feed(s, ev::step{});
  REQUIRE(s.at == stage::paying);
  return s;
}

/// A paid order with a dispatcher, handed over.
order_saga handed_over(order_status status = order_status::paid) {
  auto s = order_saga::resume(order(status, "w-near"), config(true));
  feed(s, ev::step{});
  feed(s, ev::dispatcher_answered{});
  REQUIRE(s.at == stage::following);
  return s;
}

/// Drives a compensation of a charged order from the refund to the end.
void refund_and_give_back(order_saga& s) {
  CHECK(feed(s, ev::payment_answered{}) == texts{"restock w-near"});
  CHECK(feed(s, ok("w-near")) == texts{"journal cancelled"});
}

} // namespace

TEST_CASE("a new order asks every warehouse, stores its plan, then reserves") {
  auto s = order_saga::resume(order(), config());
  CHECK(s.at == stage::starting);
  CHECK(feed(s, ev::step{}) ==
        texts{"ask stock w-far p-1", "ask stock w-near p-1"});
  CHECK(feed(s, ev::stock_answered{"w-far", "p-1", 5}).empty());
  CHECK(feed(s, ev::stock_answered{"w-near", "p-1", 2}) ==
        texts{"journal plan"});
  // The nearest warehouse holding everything takes every line.
  CHECK(s.rec.lines[0].warehouse_id == "w-near");
  auto out = s.handle(ev::journal_done{}, 1000);
  REQUIRE(out.size() == 1);
  auto* r = std::get_if<fx::reserve>(&out[0]);
  REQUIRE(r);
  CHECK(r->warehouse_id == "w-near");
  CHECK(r->lines.size() == 1);
  CHECK(r->lines[0].qty == 2);
}

TEST_CASE("held everywhere: reserved is stored, then published, then the "
          "card is charged with the order's key") {
  auto s = order_saga::resume(order(order_status::pending, "w-near"), config());
  CHECK(feed(s, ev::step{}) == texts{"reserve w-near"});
  CHECK(feed(s, ok("w-near"), 2000) == texts{"journal reserved"});
  auto out = s.handle(ev::journal_done{}, 2000);
  REQUIRE(out.size() == 2);
  CHECK(describe(out[0], s.rec) == "publish reserved");
  auto* c = std::get_if<fx::charge>(&out[1]);
  REQUIRE(c);
  CHECK(c->req.key == "o-1:charge");
  CHECK(c->req.amount == 1000);
  CHECK(c->req.token == "tok_ok");
  CHECK(s.rec.history.back().at_ms == 2000);
}

TEST_CASE("captured: committed everywhere, paid stored, the cart emptied, "
          "then the waiters answered") {
  auto s = paying();
  s.rec.from_cart = true;
  // One warehouse: paid is stored with its sale, in the same write.
  CHECK(feed(s, ev::payment_answered{berry_errc::none, "pay-1"}, 3000) ==
        texts{"commit w-near with paid"});
  CHECK(s.rec.payment_id == "pay-1");
  CHECK(s.rec.status == order_status::reserved);
  CHECK(feed(s, ok("w-near")) ==
        texts{"empty cart", "publish paid", "answer waiters"});
  CHECK(s.rec.history.back().at_ms == 3000);
  // No dispatcher: a paid order waits.
  CHECK(s.at == stage::following);
  CHECK(feed(s, ev::redispatch_due{}).empty());
}

TEST_CASE("no warehouse holds enough: cancelled out of stock, nothing to "
          "give back, nothing charged") {
  auto s = order_saga::resume(order(), config());
  feed(s, ev::step{});
  feed(s, ev::stock_answered{"w-far", "p-1", 1});
  CHECK(feed(s, ev::stock_answered{"w-near", "p-1", 0}) ==
        texts{"journal reason out-of-stock"});
  CHECK(feed(s, ev::journal_done{}) == texts{"journal cancelled"});
  CHECK(feed(s, ev::journal_done{}) == texts{"publish cancelled",
                                             "answer waiters",
                                             "answer cancellers", "stop"});
  CHECK(s.rec.cancel_reason == compensation_reason::out_of_stock);
  CHECK(statuses(s.rec) == texts{"pending", "cancelled"});
  CHECK(s.at == stage::ended);
}

TEST_CASE("too little among the warehouses that answered, and one that "
          "could not be asked: asked again shortly, then not sold out but "
          "warehouse-unavailable") {
  auto s = order_saga::resume(order(), config());
  feed(s, ev::step{});
  for (int attempt = 1; attempt <= 2; ++attempt) {
    feed(s, ev::stock_answered{"w-far", "p-1", 1});
    CHECK(feed(s, ev::stock_answered{"w-near", "p-1", 0, false}) ==
          texts{"retry in 200ms"});
    CHECK(s.at == stage::plan_retry);
    CHECK(feed(s, ev::step{}) ==
          texts{"ask stock w-far p-1", "ask stock w-near p-1"});
  }
  feed(s, ev::stock_answered{"w-far", "p-1", 1});
  CHECK(feed(s, ev::stock_answered{"w-near", "p-1", 0, false}) ==
        texts{"journal reason warehouse-unavailable"});
  feed(s, ev::journal_done{});
  feed(s, ev::journal_done{});
  CHECK(s.rec.cancel_reason == compensation_reason::warehouse_unavailable);
  CHECK(checkout_failure_of(s.rec).code == berry_errc::unavailable);
  CHECK(s.at == stage::ended);
}

TEST_CASE("a warehouse out of reach for a moment: the order is planned "
          "again once it answers, and reserved there") {
  auto s = order_saga::resume(order(), config());
  feed(s, ev::step{});
  feed(s, ev::stock_answered{"w-far", "p-1", 0});
  CHECK(feed(s, ev::stock_answered{"w-near", "p-1", 0, false}) ==
        texts{"retry in 200ms"});
  feed(s, ev::step{});
  feed(s, ev::stock_answered{"w-far", "p-1", 0});
  CHECK(feed(s, ev::stock_answered{"w-near", "p-1", 5}) ==
        texts{"journal plan"});
  CHECK(feed(s, ev::journal_done{}) == texts{"reserve w-near"});
  // Refused by a warehouse that could not be reached: released, and
  // planned again after the same pause.
  CHECK(feed(s, no("w-near", berry_errc::unavailable)) ==
        texts{"release w-near"});
  CHECK(feed(s, ok("w-near")) == texts{"retry in 200ms"});
  CHECK(feed(s, ev::step{}) ==
        texts{"ask stock w-far p-1", "ask stock w-near p-1"});
}

TEST_CASE("a cancel while the saga waits to plan again ends the order at "
          "the next step, nothing reserved") {
  auto s = order_saga::resume(order(), config());
  feed(s, ev::step{});
  feed(s, ev::stock_answered{"w-far", "p-1", 0});
  feed(s, ev::stock_answered{"w-near", "p-1", 0, false});
  REQUIRE(s.at == stage::plan_retry);
  feed(s, ev::cancel_asked{});
  CHECK(feed(s, ev::step{}) == texts{"journal reason customer"});
}

TEST_CASE("an order with no warehouse to ask ends out of stock at once") {
  auto cfg = config();
  cfg.warehouse_ids.clear();
  auto s = order_saga::resume(order(), cfg);
  CHECK(feed(s, ev::step{}) == texts{"journal reason out-of-stock"});
}

TEST_CASE("a refused reservation is released and planned again, then ends "
          "out of stock after max_plan_attempts") {
  auto s = order_saga::resume(order(order_status::pending, "w-near"), config());
  CHECK(feed(s, ev::step{}) == texts{"reserve w-near"});
  for (int attempt = 1; attempt <= 2; ++attempt) {
    CHECK(feed(s, no("w-near", berry_errc::out_of_stock)) ==
          texts{"release w-near"});
    // Planned again from fresh stock levels.
    CHECK(feed(s, ok("w-near")) ==
          texts{"ask stock w-far p-1", "ask stock w-near p-1"});
    CHECK(s.rec.lines[0].warehouse_id.empty());
    feed(s, ev::stock_answered{"w-far", "p-1", 0});
    CHECK(feed(s, ev::stock_answered{"w-near", "p-1", 9}) ==
          texts{"journal plan"});
    CHECK(feed(s, ev::journal_done{}) == texts{"reserve w-near"});
  }
  feed(s, no("w-near", berry_errc::out_of_stock));
  CHECK(feed(s, ok("w-near")) == texts{"journal reason out-of-stock"});
  // Its lines keep their warehouse, so the compensation asks there.
  CHECK(feed(s, ev::journal_done{}) == texts{"restock w-near"});
}

TEST_CASE("a reservation refused for another reason ends warehouse-"
          "unavailable, and an unreachable warehouse refuses at once") {
  auto cfg = config();
  cfg.max_plan_attempts = 1;
  auto s = order_saga::resume(order(order_status::pending, "w-gone"), cfg);
  CHECK(feed(s, ev::step{}) == texts{"journal reason warehouse-unavailable"});
  auto t = order_saga::resume(order(order_status::pending, "w-near"), cfg);
  feed(t, ev::step{});
  feed(t, no("w-near", berry_errc::unavailable));
  CHECK(feed(t, ok("w-near")) == texts{"journal reason warehouse-unavailable"});
}

TEST_CASE("a declined card: the reason is stored first, then refund with the "
          "order's refund key, restock else release, then cancelled") {
  auto s = paying();
  CHECK(feed(s, ev::payment_answered{berry_errc::payment_declined, {}}) ==
        texts{"journal reason payment-declined"});
  auto out = s.handle(ev::journal_done{}, 1000);
  REQUIRE(out.size() == 1);
  auto* r = std::get_if<fx::refund>(&out[0]);
  REQUIRE(r);
  CHECK(r->req.key == "o-1:refund");
  CHECK(r->req.amount == 1000);
  // conflict: there was no capture to refund.
  CHECK(feed(s, ev::payment_answered{berry_errc::conflict, {}}) ==
        texts{"restock w-near"});
  // conflict: nothing committed there, so the reservation is released.
  CHECK(feed(s, no("w-near", berry_errc::conflict)) == texts{"release w-near"});
  CHECK(feed(s, ok("w-near")) == texts{"journal cancelled"});
  CHECK(feed(s, ev::journal_done{}) == texts{"publish cancelled",
                                             "answer waiters",
                                             "answer cancellers", "stop"});
  CHECK(s.rec.cancel_reason == compensation_reason::payment_declined);
}

TEST_CASE("an order split over two warehouses stores paid once both sold") {
  auto rec = order(order_status::reserved);
  rec.lines = {{"p-1", 1, 500, "w-near"}, {"p-2", 1, 500, "w-far"}};
  auto s = order_saga::resume(rec, config());
  feed(s, ev::step{});
  CHECK(feed(s, ev::payment_answered{berry_errc::none, "pay-1"}) ==
        texts{"commit w-far", "commit w-near"});
  CHECK(feed(s, ok("w-far")).empty());
  CHECK(feed(s, ok("w-near")) == texts{"journal paid"});
  CHECK(feed(s, ev::journal_done{}) == texts{"publish paid", "answer waiters"});
}

TEST_CASE("a sale refused with paid riding on it leaves the order unpaid") {
  auto s = paying();
  feed(s, ev::payment_answered{berry_errc::none, "pay-1"});
  CHECK(feed(s, no("w-near", berry_errc::conflict)) ==
        texts{"journal reason reservation-expired"});
  CHECK(s.rec.status == order_status::reserved);
  CHECK(statuses(s.rec) == texts{"pending", "reserved"});
}

TEST_CASE("a payment that fails otherwise ends payment-error") {
  auto s = paying();
  CHECK(feed(s, ev::payment_answered{berry_errc::unavailable, {}}) ==
        texts{"journal reason payment-error"});
}

TEST_CASE("a reservation that expired under a capture is refunded and "
          "restocked") {
  auto s = paying();
  feed(s, ev::payment_answered{berry_errc::none, "pay-1"});
  CHECK(feed(s, no("w-near", berry_errc::conflict)) ==
        texts{"journal reason reservation-expired"});
  CHECK(feed(s, ev::journal_done{}) == texts{"refund o-1:refund"});
  refund_and_give_back(s);
  CHECK(s.rec.cancel_reason == compensation_reason::reservation_expired);
}

TEST_CASE("a compensation part that fails is tried again after a pause, "
          "refund included, the reason stored once") {
  auto s = paying();
  feed(s, ev::payment_answered{berry_errc::payment_declined, {}});
  feed(s, ev::journal_done{});
  CHECK(feed(s, ev::payment_answered{berry_errc::timeout, {}}) ==
        texts{"retry in 1000ms"});
  CHECK(s.at == stage::compensation_retry);
  CHECK(feed(s, ev::step{}) == texts{"refund o-1:refund"});
  CHECK(feed(s, ev::payment_answered{}) == texts{"restock w-near"});
  // A restock that fails otherwise than conflict fails the part even when
  // the release works.
  CHECK(feed(s, no("w-near", berry_errc::timeout)) == texts{"release w-near"});
  CHECK(feed(s, ok("w-near")) == texts{"retry in 1000ms"});
  CHECK(feed(s, ev::step{}) == texts{"refund o-1:refund"});
  feed(s, ev::payment_answered{});
  feed(s, no("w-near", berry_errc::conflict));
  CHECK(feed(s, no("w-near", berry_errc::unavailable)) ==
        texts{"retry in 1000ms"});
  feed(s, ev::step{});
  refund_and_give_back(s);
}

TEST_CASE("a cancel during a step waits for it to end, then compensates") {
  auto s = paying();
  CHECK(feed(s, ev::cancel_asked{}) == texts{"keep asker"});
  // A second cancel waits too.
  CHECK(feed(s, ev::cancel_asked{}) == texts{"keep asker"});
  CHECK(feed(s, ev::payment_answered{berry_errc::none, "pay-1"}) ==
        texts{"journal reason customer"});
  feed(s, ev::journal_done{});
  refund_and_give_back(s);
  CHECK(feed(s, ev::journal_done{}) == texts{"publish cancelled",
                                             "answer waiters",
                                             "answer cancellers", "stop"});
}

TEST_CASE("a cancel before the first step compensates at once, and the "
          "first step changes nothing then") {
  auto s = order_saga::resume(order(order_status::pending, "w-near"), config());
  CHECK(feed(s, ev::cancel_asked{}) ==
        texts{"keep asker", "journal reason customer"});
  CHECK(feed(s, ev::step{}).empty());
  // Nothing was charged: no refund, straight to giving back.
  CHECK(feed(s, ev::journal_done{}) == texts{"restock w-near"});
}

TEST_CASE("a cancel is answered at once when the order is cancelled, "
          "picked up or being returned") {
  auto cancelled = order_saga::resume(order(order_status::cancelled), config());
  CHECK(feed(cancelled, ev::cancel_asked{}) == texts{"answer asker order"});
  auto picked = handed_over(order_status::picked_up);
  CHECK(feed(picked, ev::cancel_asked{}) == texts{"answer asker conflict"});
  auto returning =
      order_saga::resume(order(order_status::delivered, "w-near"), config());
  feed(returning, ev::return_asked{});
  CHECK(feed(returning, ev::cancel_asked{}) == texts{"answer asker conflict"});
}

TEST_CASE("a saga read back from storage goes on from the stored status") {
  auto from = [](order_record x, bool dispatcher = false) {
    auto s = order_saga::resume(std::move(x), config(dispatcher));
    return feed(s, ev::step{});
  };
  CHECK(from(order()) == texts{"ask stock w-far p-1", "ask stock w-near p-1"});
  CHECK(from(order(order_status::pending, "w-near")) ==
        texts{"reserve w-near"});
  CHECK(from(order(order_status::reserved, "w-near")) ==
        texts{"charge o-1:charge"});
  CHECK(from(order(order_status::paid, "w-near")).empty());
  CHECK(from(order(order_status::packed, "w-near"), true) ==
        texts{"dispatch packed"});
  auto undoing = order(order_status::paid, "w-near");
  undoing.cancel_reason = compensation_reason::customer;
  CHECK(from(undoing) == texts{"refund o-1:refund"});
  auto returning = order(order_status::delivered, "w-near");
  returning.cancel_reason = compensation_reason::customer_return;
  CHECK(from(returning) == texts{"refund o-1:refund"});
  CHECK(from(order(order_status::delivered)) ==
        texts{"answer waiters", "answer cancellers", "stop"});
  CHECK(from(order(order_status::cancelled)) ==
        texts{"answer waiters", "answer cancellers", "stop"});
}

TEST_CASE("a paid order hands its delivery over, and again every "
          "redispatch period") {
  auto s =
      order_saga::resume(order(order_status::paid, "w-near"), config(true));
  auto out = s.handle(ev::step{}, 1000);
  REQUIRE(out.size() == 1);
  auto* d = std::get_if<fx::dispatch>(&out[0]);
  REQUIRE(d);
  CHECK(d->task.order_id == "o-1");
  CHECK(d->task.status == order_status::paid);
  REQUIRE(d->task.pickups.size() == 1);
  CHECK(d->task.pickups[0].lat == 55.76);
  CHECK(d->task.dropoff.lat == home.lat);
  CHECK(feed(s, ev::dispatcher_answered{}) == texts{"redispatch in 10000ms"});
  CHECK(feed(s, ev::redispatch_due{}) == texts{"dispatch paid"});
  // A timer due while the hand-over is in flight changes nothing.
  CHECK(feed(s, ev::redispatch_due{}).empty());
}

TEST_CASE("a dispatcher that refuses the delivery is asked again after a "
          "pause") {
  auto s =
      order_saga::resume(order(order_status::paid, "w-near"), config(true));
  feed(s, ev::step{});
  CHECK(feed(s, ev::dispatcher_answered{berry_errc::unavailable, {}}) ==
        texts{"retry in 1000ms"});
  CHECK(feed(s, ev::step{}) == texts{"dispatch paid"});
}

TEST_CASE("delivery statuses are stored, skipped ones filled in in order, "
          "then published, and events wait while a status is stored") {
  auto s = handed_over();
  CHECK(feed(s,
             ev::delivery_moved{{"o-1",
                                 order_status::courier_assigned,
                                 "k-1",
                                 {55.8, 37.5},
                                 300}},
             2000) == texts{"journal packed courier_assigned"});
  CHECK(s.rec.courier_id == "k-1");
  CHECK(s.rec.eta_s == 300);
  // A move comes in while that is stored: it waits.
  CHECK(feed(s,
             ev::delivery_moved{
                 {"o-1", order_status::none, "", {55.79, 37.55}, 200}})
            .empty());
  CHECK(feed(s, ev::journal_done{}) ==
        texts{"publish packed", "publish courier_assigned", "publish courier"});
  CHECK(s.rec.courier_location.lat == 55.79);
  CHECK(s.rec.eta_s == 200);
  // A repeated status is a move.
  CHECK(feed(s,
             ev::delivery_moved{
                 {"o-1", order_status::packed, "", {55.78, 37.6}, 100}}) ==
        texts{"publish courier"});
  CHECK(statuses(s.rec) ==
        texts{"pending", "reserved", "paid", "packed", "courier_assigned"});
}

TEST_CASE("a courier's move before it is assigned is not published") {
  auto s = handed_over();
  CHECK(feed(s,
             ev::delivery_moved{
                 {"o-1", order_status::none, "", {55.8, 37.5}, 300}})
            .empty());
  CHECK(s.rec.eta_s == -1);
}

TEST_CASE("delivered is stored, published, and ends the saga") {
  auto s = handed_over(order_status::picked_up);
  CHECK(feed(s, ev::delivery_moved{{"o-1", order_status::delivered, "k-1", home,
                                    0}}) == texts{"journal delivered"});
  CHECK(s.rec.eta_s == -1);
  CHECK(feed(s, ev::journal_done{}) == texts{"publish delivered",
                                             "answer waiters",
                                             "answer cancellers", "stop"});
}

TEST_CASE("a return asked while delivered is stored is acted on after") {
  auto s = handed_over(order_status::picked_up);
  feed(s, ev::delivery_moved{{"o-1", order_status::delivered, "k-1", home, 0}});
  CHECK(feed(s, ev::return_asked{}) == texts{"keep asker"});
  CHECK(feed(s, ev::journal_done{}) ==
        texts{"publish delivered", "journal reason return"});
}

TEST_CASE("a delivered order started again for a return is refunded, "
          "restocked and returned") {
  auto s = order_saga::resume(order(order_status::delivered, "w-near"),
                              config(true));
  CHECK(feed(s, ev::return_asked{}) ==
        texts{"keep asker", "journal reason return"});
  CHECK(feed(s, ev::step{}).empty());
  CHECK(feed(s, ev::journal_done{}) == texts{"refund o-1:refund"});
  CHECK(feed(s, ev::payment_answered{}) == texts{"restock w-near"});
  CHECK(feed(s, ok("w-near")) == texts{"journal returned"});
  CHECK(feed(s, ev::journal_done{}) == texts{"publish returned",
                                             "answer waiters",
                                             "answer cancellers", "stop"});
  CHECK(s.rec.cancel_reason == compensation_reason::customer_return);
}

TEST_CASE("a return is answered at once unless the order is delivered") {
  auto returned = order_saga::resume(order(order_status::returned), config());
  CHECK(feed(returned, ev::return_asked{}) == texts{"answer asker order"});
  auto paid = order_saga::resume(order(order_status::paid), config());
  CHECK(feed(paid, ev::return_asked{}) == texts{"answer asker conflict"});
}

TEST_CASE("a cancel before pickup withdraws the delivery, then refunds and "
          "restocks") {
  auto s = handed_over(order_status::courier_assigned);
  s.events.push_back({"o-1", order_status::picked_up, "k-1", {}, 10});
  CHECK(feed(s, ev::cancel_asked{}) == texts{"keep asker", "withdraw"});
  CHECK(feed(s, ev::dispatcher_answered{}) == texts{"journal reason customer"});
  CHECK(s.events.empty());
  CHECK(feed(s, ev::journal_done{}) == texts{"refund o-1:refund"});
  refund_and_give_back(s);
}

TEST_CASE("a cancel while the delivery is handed over withdraws it once the "
          "dispatcher took it") {
  auto s =
      order_saga::resume(order(order_status::paid, "w-near"), config(true));
  feed(s, ev::step{});
  CHECK(feed(s, ev::cancel_asked{}) == texts{"keep asker"});
  CHECK(feed(s, ev::dispatcher_answered{}) ==
        texts{"redispatch in 10000ms", "withdraw"});
}

TEST_CASE("a withdrawal the dispatcher refuses answers every canceller, and "
          "the delivery goes on") {
  auto s = handed_over(order_status::courier_assigned);
  feed(s, ev::cancel_asked{});
  auto out = s.handle(
      ev::dispatcher_answered{berry_errc::conflict, "already picked up"}, 1000);
  REQUIRE(out.size() == 1);
  auto* r = std::get_if<fx::refuse_cancellers>(&out[0]);
  REQUIRE(r);
  CHECK(r->error == berry_errc::conflict);
  CHECK(r->detail == "already picked up");
  CHECK(s.at == stage::following);
  CHECK(s.compensation == compensation_reason::none);
  // Any other refusal: try again.
  feed(s, ev::cancel_asked{});
  out = s.handle(ev::dispatcher_answered{berry_errc::timeout, {}}, 1000);
  r = std::get_if<fx::refuse_cancellers>(&out.at(0));
  REQUIRE(r);
  CHECK(r->error == berry_errc::unavailable);
  CHECK(r->detail == "the delivery could not be withdrawn; try again");
}

TEST_CASE("without a dispatcher a paid order is cancelled at once") {
  auto s = order_saga::resume(order(order_status::paid, "w-near"), config());
  feed(s, ev::step{});
  CHECK(feed(s, ev::cancel_asked{}) ==
        texts{"keep asker", "journal reason customer"});
  CHECK(feed(s, ev::delivery_moved{{"o-1", order_status::packed, "", {}, -1}})
            .empty());
}

TEST_CASE("a plan and a reserved status ride with the next step's own "
          "write, paid with the sale's; a compensation waits for its commit") {
  auto s = order_saga::resume(order(), config());
  feed(s, ev::step{});
  feed(s, ev::stock_answered{"w-far", "p-1", 0});
  REQUIRE(feed(s, ev::stock_answered{"w-near", "p-1", 2}) ==
          texts{"journal plan"});
  CHECK(s.store_rides_with_next());
  REQUIRE(feed(s, ev::journal_done{}) == texts{"reserve w-near"});
  CHECK_FALSE(s.store_rides_with_next());
  REQUIRE(feed(s, ok("w-near")) == texts{"journal reserved"});
  CHECK(s.store_rides_with_next());
  feed(s, ev::journal_done{});
  REQUIRE(feed(s, ev::payment_answered{berry_errc::none, "pay-1"}) ==
          texts{"commit w-near with paid"});
  REQUIRE(feed(s, ok("w-near")) == texts{"publish paid", "answer waiters"});
  CHECK_FALSE(s.store_rides_with_next());
  auto t = paying();
  REQUIRE(feed(t, ev::payment_answered{berry_errc::payment_declined, {}}) ==
          texts{"journal reason payment-declined"});
  CHECK_FALSE(t.store_rides_with_next());
}
