// One checkout, one answer: the order manager waits for the order's checkout
// until its deadline and answers with the order or the error that ended it.

#include <catch2/catch.hpp>

#include "node_fixture.hpp"

using namespace berry;
using namespace berry::test;
using namespace std::chrono_literals;

namespace {

node_options with_deadline(std::chrono::milliseconds d) {
  node_options o;
  o.checkout_deadline = d;
  return o;
}

/// Checks out and runs the node for `d`; the one answer.
caf::expected<order_record> check_out(node_fixture& node,
                                      const checkout_request& r,
                                      std::chrono::milliseconds d = 1s) {
  std::optional<caf::expected<order_record>> answer;
  node.ask_orders(answer, checkout_atom_v, r);
  node.run_for(d);
  if (!answer)
    return caf::make_error(berry_errc::internal, "no answer");
  return std::move(*answer);
}

std::string detail(const caf::error& err) {
  auto& ctx = err.context();
  return ctx.match_element<std::string>(0) ? ctx.get_as<std::string>(0) : "";
}

} // namespace

TEST_CASE("a checkout answers once, with the paid order") {
  node_fixture node{with_deadline(5s)};
  auto x = check_out(node, node.checkout("k1", "p-kettle", 1, "tok_ok"));
  REQUIRE(x);
  CHECK(x->status == order_status::paid);
  CHECK(node.stored(x->id).status == order_status::paid);
}

TEST_CASE("a checkout that ends cancelled answers the error that ended it") {
  node_fixture node{with_deadline(5s)};
  auto declined =
      check_out(node, node.checkout("k1", "p-kettle", 1, "tok_decline"));
  REQUIRE_FALSE(declined);
  CHECK(is_error(declined.error(), berry_errc::payment_declined));
  CHECK(detail(declined.error()) ==
        "the payment was declined; the reservation is released");
  auto sold_out = check_out(node, node.checkout("k2", "p-kettle", 9, "tok_ok"));
  REQUIRE_FALSE(sold_out);
  CHECK(is_error(sold_out.error(), berry_errc::out_of_stock));
  CHECK(detail(sold_out.error()) ==
        "some line cannot be reserved; nothing was charged");
  // The same key again answers the same outcome.
  auto again =
      check_out(node, node.checkout("k1", "p-kettle", 1, "tok_decline"));
  REQUIRE_FALSE(again);
  CHECK(is_error(again.error(), berry_errc::payment_declined));
}

TEST_CASE("a checkout still running at its deadline answers the order as it "
          "is, and the order goes on") {
  node_fixture node{with_deadline(500ms)};
  std::optional<caf::expected<order_record>> answer;
  node.ask_orders(answer, checkout_atom_v,
                  node.checkout("k1", "p-kettle", 1, "tok_slow"));
  node.run_for(400ms);
  CHECK_FALSE(answer); // not before the deadline
  node.run_for(200ms);
  REQUIRE(answer);
  REQUIRE(*answer);
  auto id = (**answer).id;
  CHECK((**answer).status == order_status::reserved);
  // A retry meanwhile is refused; once paid it answers the order.
  auto running =
      check_out(node, node.checkout("k1", "p-kettle", 1, "tok_slow"), 100ms);
  REQUIRE_FALSE(running);
  CHECK(is_error(running.error(), berry_errc::idempotency_key_in_use));
  node.run_for(5s);
  CHECK(node.stored(id).status == order_status::paid);
  auto replay =
      check_out(node, node.checkout("k1", "p-kettle", 1, "tok_slow"), 100ms);
  REQUIRE(replay);
  CHECK(replay->status == order_status::paid);
}
