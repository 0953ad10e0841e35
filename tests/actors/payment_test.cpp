#include "actors/payment.hpp"

#include <catch2/catch.hpp>

#include "actors/payment_provider.hpp"
#include "payment_fixture.hpp"

using namespace std::chrono_literals;
using namespace berry;

namespace {

using wire_log = std::vector<std::string>;

/// Sits between the payment actor and the provider and writes down every
/// request it passes on ("charge o-1:charge", "status o-1:charge").
provider_actor::behavior_type spy(provider_actor::pointer self,
                                  provider_actor real, wire_log* log) {
  auto pass = [=](std::string what, auto atom, auto arg) {
    log->push_back(std::move(what));
    auto rp = self->make_response_promise<payment_result>();
    self->request(real, caf::infinite, atom, arg)
        .then([=](const payment_result& r) mutable { rp.deliver(r); },
              [=](caf::error& e) mutable { rp.deliver(e); });
    return rp;
  };
  return {
      [=](charge_atom a,
          const payment_request& req) -> caf::result<payment_result> {
        return pass("charge " + req.key, a, req);
      },
      [=](refund_atom a,
          const payment_request& req) -> caf::result<payment_result> {
        return pass("refund " + req.key, a, req);
      },
      [=](status_atom a,
          const std::string& key) -> caf::result<payment_result> {
        return pass("status " + key, a, key);
      },
      [=](step_atom, const std::string&) {},
  };
}

/// A provider and a payment actor on the testing scheduler, over a real
/// temp-file database.
struct payment_fixture : test::payment_books_fixture {
  provider_actor provider;
  wire_log wire;

  /// Spawns the provider (behind the spy) and a payment actor before it.
  payment_actor spawn(payment_init init = {}, provider_init pinit = {}) {
    pinit.journal = journal;
    auto real = keep(spawn_provider(sys, std::move(pinit)));
    provider = keep(sys.spawn(spy, real, &wire));
    init.provider = provider;
    return keep(spawn_payment(sys, std::move(init)));
  }

  int rows_with(payment_kind kind, payment_status status) {
    int n = 0;
    for (auto& r : rows())
      n += r.kind == kind && r.status == status;
    return n;
  }

  int sent(const std::string& what) {
    return static_cast<int>(std::count(wire.begin(), wire.end(), what));
  }
};

payment_request charge(const std::string& order, const std::string& token) {
  return {order + ":charge", order, 199000, token};
}

payment_request refund(const std::string& order) {
  return {order + ":refund", order, 199000, ""};
}

} // namespace

TEST_CASE("a payment's next move follows the provider's status") {
  CHECK(after_status(payment_status::captured) == payment_move::answer);
  CHECK(after_status(payment_status::refunded) == payment_move::answer);
  CHECK(after_status(payment_status::declined) == payment_move::decline);
  CHECK(after_status(payment_status::processing) == payment_move::poll);
  CHECK(after_status(payment_status::unknown) == payment_move::resend);
  CHECK(backoff_before(2, 50ms) == 50ms);
  CHECK(backoff_before(3, 50ms) == 100ms);
  CHECK(backoff_before(5, 50ms) == 400ms);
}

TEST_CASE_METHOD(payment_fixture, "tok_ok is captured, once") {
  auto pay = spawn();
  auto r = ask(pay, charge_atom_v, charge("o-1", "tok_ok"));
  run_for(100ms);
  REQUIRE(r->done);
  REQUIRE_FALSE(r->err);
  CHECK(r->value.status == payment_status::captured);
  CHECK(r->value.payment_id.rfind("pay_", 0) == 0);
  CHECK(rows_with(payment_kind::charge, payment_status::captured) == 1);
  CHECK(rows().size() == 1);
}

TEST_CASE_METHOD(payment_fixture,
                 "tok_decline fails as payment_declined, booked as declined") {
  auto pay = spawn();
  auto r = ask(pay, charge_atom_v, charge("o-1", "tok_decline"));
  run_for(100ms);
  REQUIRE(r->done);
  CHECK(is_error(r->err, berry_errc::payment_declined));
  CHECK(sys.render(r->err).find("card declined") != std::string::npos);
  CHECK(rows_with(payment_kind::charge, payment_status::declined) == 1);
  CHECK(rows().size() == 1);
}

TEST_CASE_METHOD(payment_fixture,
                 "tok_flaky is captured after retries with the same key") {
  auto pay = spawn();
  auto r = ask(pay, charge_atom_v, charge("o-1", "tok_flaky"));
  run_for(1000ms);
  REQUIRE(r->done);
  REQUIRE_FALSE(r->err);
  CHECK(r->value.status == payment_status::captured);
  CHECK(sent("charge o-1:charge") == 3);
  CHECK(wire.size() == 3);
  auto books = rows();
  REQUIRE(books.size() == 1);
  CHECK(books[0].status == payment_status::captured);
  CHECK(books[0].attempts == 3);
}

TEST_CASE_METHOD(
    payment_fixture,
    "a slow provider past the step timeout is resolved by status") {
  payment_init init;
  init.step_timeout = 1s;
  auto pay = spawn(init);
  auto r = ask(pay, charge_atom_v, charge("o-1", "tok_slow"));
  run_for(1500ms);
  CHECK_FALSE(r->done);
  CHECK(sent("status o-1:charge") >= 1); // it asked: still processing
  run_for(1000ms);
  REQUIRE(r->done);
  REQUIRE_FALSE(r->err);
  CHECK(r->value.status == payment_status::captured);
  CHECK(sent("charge o-1:charge") == 1);
  CHECK(rows_with(payment_kind::charge, payment_status::captured) == 1);
  CHECK(rows().front().attempts == 1);
}

TEST_CASE_METHOD(payment_fixture,
                 "a lost reply is resolved by status, never charged again") {
  provider_init pinit;
  pinit.drop_reply = [n = 0](const payment_request&) mutable {
    return ++n == 1;
  };
  auto pay = spawn({}, pinit);
  auto r = ask(pay, charge_atom_v, charge("o-1", "tok_ok"));
  run_for(4900ms);
  CHECK_FALSE(r->done); // waits out its 5 s step timeout, no guessing
  run_for(200ms);
  REQUIRE(r->done);
  REQUIRE_FALSE(r->err);
  CHECK(r->value.status == payment_status::captured);
  CHECK(wire == wire_log{"charge o-1:charge", "status o-1:charge"});
  CHECK(r->value.payment_id == rows().front().payment_id);
  CHECK(rows().size() == 1);
}

TEST_CASE_METHOD(payment_fixture,
                 "the same key charged twice at once is captured once") {
  auto pay = spawn();
  auto a = ask(pay, charge_atom_v, charge("o-1", "tok_slow"));
  auto b = ask(pay, charge_atom_v, charge("o-1", "tok_slow"));
  // A second payment actor (another node, or a restarted one) as well.
  auto pay2 = spawn_payment(sys, payment_init{provider});
  actors.push_back(caf::actor_cast<caf::strong_actor_ptr>(pay2));
  run_for(500ms);
  auto c = ask(pay2, charge_atom_v, charge("o-1", "tok_slow"));
  run_for(2000ms);
  REQUIRE(a->done);
  REQUIRE(b->done);
  REQUIRE(c->done);
  CHECK(a->value.status == payment_status::captured);
  CHECK(b->value.payment_id == a->value.payment_id);
  CHECK(c->value.payment_id == a->value.payment_id);
  CHECK(sent("charge o-1:charge") == 2); // one from each payment actor
  CHECK(rows_with(payment_kind::charge, payment_status::captured) == 1);
  CHECK(rows().size() == 1);
}

TEST_CASE_METHOD(payment_fixture,
                 "a refund after a capture refunds once, and says so again") {
  auto pay = spawn();
  auto c = ask(pay, charge_atom_v, charge("o-1", "tok_ok"));
  run_for(100ms);
  auto r1 = ask(pay, refund_atom_v, refund("o-1"));
  run_for(100ms);
  auto r2 = ask(pay, refund_atom_v, refund("o-1"));
  run_for(100ms);
  REQUIRE(r1->done);
  REQUIRE(r2->done);
  CHECK(r1->value.status == payment_status::refunded);
  CHECK(r1->value.amount == 199000);
  CHECK(r2->value.status == payment_status::refunded);
  CHECK(r2->value.payment_id == r1->value.payment_id);
  CHECK(rows_with(payment_kind::refund, payment_status::refunded) == 1);
  CHECK(rows_with(payment_kind::charge, payment_status::captured) == 1);
}

TEST_CASE_METHOD(payment_fixture, "a refund without a capture is a conflict") {
  auto pay = spawn();
  auto r = ask(pay, refund_atom_v, refund("o-1"));
  run_for(100ms);
  REQUIRE(r->done);
  CHECK(is_error(r->err, berry_errc::conflict));
  CHECK(rows().empty());
}

TEST_CASE_METHOD(payment_fixture,
                 "a refund waits for the charge of its order to be over") {
  payment_init init;
  init.step_timeout = 1s;
  auto pay = spawn(init);
  auto c = ask(pay, charge_atom_v, charge("o-1", "tok_slow"));
  auto r = ask(pay, refund_atom_v, refund("o-1"));
  run_for(3000ms);
  REQUIRE(c->done);
  REQUIRE(r->done);
  CHECK(c->value.status == payment_status::captured);
  CHECK(r->value.status == payment_status::refunded);
  // Not sent until the charge's answer was in.
  CHECK(wire.back() == "refund o-1:refund");
  CHECK(rows_with(payment_kind::refund, payment_status::refunded) == 1);
}

TEST_CASE_METHOD(
    payment_fixture,
    "a payment gives up as unavailable when the provider is gone") {
  auto pay = spawn();
  caf::anon_send_exit(provider, caf::exit_reason::kill);
  sched.run();
  auto r = ask(pay, charge_atom_v, charge("o-1", "tok_ok"));
  run_for(2000ms);
  REQUIRE(r->done);
  CHECK(is_error(r->err, berry_errc::unavailable));
}
