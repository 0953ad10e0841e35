#include "actors/order_state.hpp"

#include <catch2/catch.hpp>

using namespace berry;

namespace {

// Moscow: the address near the Kremlin, one warehouse close, one far.
const geo_point kremlin{55.7520, 37.6175};
const warehouse_info near_wh{"w-near", "Близкий", {55.7600, 37.6300}};
const warehouse_info far_wh{"w-far", "Дальний", {55.3226, 37.5526}};

std::vector<order_line>
lines(std::initializer_list<std::pair<const char*, int>> xs) {
  std::vector<order_line> out;
  for (auto& [p, q] : xs)
    out.push_back({p, q, 1000, ""});
  return out;
}

} // namespace

TEST_CASE("the nearest warehouse that holds every line takes the whole order") {
  stock_map avail{{"w-near", {{"p-1", 5}, {"p-2", 1}}},
                  {"w-far", {{"p-1", 50}, {"p-2", 50}}}};
  auto plan = plan_warehouses(lines({{"p-1", 2}, {"p-2", 1}}),
                              {far_wh, near_wh}, avail, kremlin);
  REQUIRE(plan);
  REQUIRE(plan->size() == 2);
  for (auto& l : *plan)
    CHECK(l.warehouse_id == "w-near");
}

TEST_CASE("a warehouse missing one line loses the order to one that has all") {
  stock_map avail{{"w-near", {{"p-1", 5}}},
                  {"w-far", {{"p-1", 5}, {"p-2", 5}}}};
  auto plan = plan_warehouses(lines({{"p-1", 2}, {"p-2", 1}}),
                              {near_wh, far_wh}, avail, kremlin);
  REQUIRE(plan);
  for (auto& l : *plan)
    CHECK(l.warehouse_id == "w-far");
}

TEST_CASE("an order no single warehouse can fill is split, nearest first") {
  stock_map avail{{"w-near", {{"p-1", 3}}}, {"w-far", {{"p-1", 4}}}};
  auto plan =
      plan_warehouses(lines({{"p-1", 5}}), {far_wh, near_wh}, avail, kremlin);
  REQUIRE(plan);
  REQUIRE(plan->size() == 2);
  CHECK((*plan)[0].warehouse_id == "w-near");
  CHECK((*plan)[0].qty == 3);
  CHECK((*plan)[1].warehouse_id == "w-far");
  CHECK((*plan)[1].qty == 2);
  CHECK((*plan)[1].unit_price == 1000);
}

TEST_CASE("an order all warehouses together cannot fill has no plan") {
  stock_map avail{{"w-near", {{"p-1", 3}}}, {"w-far", {{"p-1", 1}}}};
  CHECK_FALSE(
      plan_warehouses(lines({{"p-1", 5}}), {far_wh, near_wh}, avail, kremlin));
  CHECK_FALSE(
      plan_warehouses(lines({{"p-9", 1}}), {far_wh, near_wh}, avail, kremlin));
}

TEST_CASE("distances are great-circle metres") {
  // Kremlin to Koledino is about 48 km.
  auto d = distance_m(kremlin, far_wh.location);
  CHECK(d > 47000);
  CHECK(d < 50000);
  CHECK(distance_m(kremlin, kremlin) == 0);
}

TEST_CASE("a checkout answers by what became of the order") {
  order_record x;
  set_status(x, order_status::pending, 1);
  CHECK(checkout_failure_of(x).code == berry_errc::none);
  CHECK_FALSE(checkout_over(x));
  set_status(x, order_status::reserved, 2);
  CHECK_FALSE(checkout_over(x));
  auto paid = x;
  set_status(paid, order_status::paid, 3);
  CHECK(checkout_over(paid));
  CHECK(checkout_failure_of(paid).code == berry_errc::none);
  // Paid, then cancelled by the customer: the checkout itself succeeded.
  set_status(paid, order_status::cancelled, 4);
  paid.cancel_reason = compensation_reason::customer;
  CHECK(checkout_failure_of(paid).code == berry_errc::none);
  auto declined = x;
  set_status(declined, order_status::cancelled, 3);
  declined.cancel_reason = compensation_reason::payment_declined;
  CHECK(checkout_failure_of(declined).code == berry_errc::payment_declined);
  auto sold_out = x;
  set_status(sold_out, order_status::cancelled, 3);
  sold_out.cancel_reason = compensation_reason::out_of_stock;
  CHECK(checkout_failure_of(sold_out).code == berry_errc::out_of_stock);
  auto failed = x;
  set_status(failed, order_status::cancelled, 3);
  failed.cancel_reason = compensation_reason::payment_error;
  CHECK(checkout_failure_of(failed).code == berry_errc::unavailable);
  CHECK(checkout_failure_of(failed).detail ==
        "the order could not be completed (payment-error)");
}

TEST_CASE("an order can be cancelled until it is picked up") {
  order_record x;
  for (auto s :
       {order_status::pending, order_status::reserved, order_status::paid,
        order_status::packed, order_status::courier_assigned}) {
    x.status = s;
    CHECK(cancellable(x));
  }
  for (auto s : {order_status::picked_up, order_status::delivered,
                 order_status::cancelled, order_status::returned}) {
    x.status = s;
    CHECK_FALSE(cancellable(x));
  }
}

TEST_CASE("a cancel with no live actor is answered by what is stored") {
  order_record x;
  x.status = order_status::cancelled;
  CHECK(cancel_from_storage(x) == berry_errc::none);
  // The actor ended on a final status just before the cancel reached it.
  for (auto s : {order_status::picked_up, order_status::delivered,
                 order_status::returned}) {
    x.status = s;
    CHECK(cancel_from_storage(x) == berry_errc::conflict);
  }
  // Still cancellable: the actor crashed and is starting again.
  for (auto s : {order_status::pending, order_status::paid,
                 order_status::courier_assigned}) {
    x.status = s;
    CHECK(cancel_from_storage(x) == berry_errc::unavailable);
  }
}
