#include "actors/payment_provider.hpp"

#include <catch2/catch.hpp>

#include "payment_fixture.hpp"

using namespace std::chrono_literals;
using namespace berry;

namespace {

/// A provider on the testing scheduler over a real temp-file database.
struct provider_fixture : test::payment_books_fixture {
  provider_actor spawn(provider_init init = {}) {
    init.journal = journal;
    auto path = db_path;
    init.load = [path] {
      auto db = storage::database::open(path, storage::open_mode::read_only);
      return storage::load_provider_payments(db);
    };
    return keep(spawn_provider(sys, std::move(init)));
  }
};

payment_request charge(const std::string& order, const std::string& token,
                       int64_t amount = 199000) {
  return {order + ":charge", order, amount, token};
}

payment_request refund(const std::string& order, int64_t amount = 199000) {
  return {order + ":refund", order, amount, ""};
}

} // namespace

TEST_CASE_METHOD(
    provider_fixture,
    "the provider approves tok_ok after its latency, books first") {
  auto p = spawn();
  auto r = ask(p, charge_atom_v, charge("o-1", "tok_ok"));
  sched.run();
  CHECK_FALSE(r->done);
  auto books = rows();
  REQUIRE(books.size() == 1);
  CHECK(books[0].status == payment_status::captured);
  sched.advance_time(19ms);
  sched.run();
  CHECK_FALSE(r->done);
  sched.advance_time(1ms);
  sched.run();
  REQUIRE(r->done);
  REQUIRE_FALSE(r->err);
  CHECK(r->value.status == payment_status::captured);
  CHECK(r->value.key == "o-1:charge");
  CHECK(r->value.amount == 199000);
  CHECK(r->value.payment_id.rfind("pay_", 0) == 0);
  CHECK(r->value.payment_id.size() == 4 + 16);
  CHECK(r->value.payment_id == books[0].payment_id);
}

TEST_CASE_METHOD(provider_fixture,
                 "tok_decline and unknown tokens are declined, and booked") {
  auto p = spawn();
  auto a = ask(p, charge_atom_v, charge("o-1", "tok_decline"));
  auto b = ask(p, charge_atom_v, charge("o-2", "tok_nonsense"));
  run_for(50ms);
  REQUIRE(a->done);
  REQUIRE(b->done);
  CHECK(a->value.status == payment_status::declined);
  CHECK(a->value.detail == "card declined");
  CHECK(b->value.status == payment_status::declined);
  CHECK(b->value.detail == "unknown token");
  for (auto& row : rows())
    CHECK(row.status == payment_status::declined);
  CHECK(rows().size() == 2);
}

TEST_CASE_METHOD(provider_fixture,
                 "tok_flaky fails twice with a provider error, then approves") {
  auto p = spawn();
  for (int i = 1; i <= 2; ++i) {
    auto r = ask(p, charge_atom_v, charge("o-1", "tok_flaky"));
    run_for(50ms);
    REQUIRE(r->done);
    CHECK(is_error(r->err, berry_errc::unavailable));
    auto s = ask(p, status_atom_v, std::string{"o-1:charge"});
    run_for(50ms);
    CHECK(s->value.status == payment_status::unknown); // nothing was charged
  }
  auto r = ask(p, charge_atom_v, charge("o-1", "tok_flaky"));
  run_for(50ms);
  REQUIRE(r->done);
  CHECK(r->value.status == payment_status::captured);
  auto books = rows();
  REQUIRE(books.size() == 1);
  CHECK(books[0].status == payment_status::captured);
  CHECK(books[0].attempts == 3);
}

TEST_CASE_METHOD(
    provider_fixture,
    "a settled key answers the same again and never charges twice") {
  auto p = spawn();
  auto first = ask(p, charge_atom_v, charge("o-1", "tok_ok"));
  run_for(50ms);
  auto again = ask(p, charge_atom_v, charge("o-1", "tok_ok"));
  auto other = ask(p, charge_atom_v, charge("o-1", "tok_ok", 5));
  run_for(50ms);
  REQUIRE(again->done);
  CHECK(again->value.payment_id == first->value.payment_id);
  CHECK(again->value.status == payment_status::captured);
  CHECK(is_error(other->err, berry_errc::conflict));
  auto books = rows();
  REQUIRE(books.size() == 1);
  CHECK(books[0].attempts == 1);
}

TEST_CASE_METHOD(
    provider_fixture,
    "a charge arriving while its key processes gets the same answer") {
  auto p = spawn();
  auto a = ask(p, charge_atom_v, charge("o-1", "tok_slow"));
  run_for(1000ms);
  auto b = ask(p, charge_atom_v, charge("o-1", "tok_slow"));
  auto s = ask(p, status_atom_v, std::string{"o-1:charge"});
  run_for(500ms);
  CHECK(s->value.status == payment_status::processing);
  CHECK_FALSE(a->done);
  CHECK_FALSE(b->done);
  run_for(600ms);
  REQUIRE(a->done);
  REQUIRE(b->done);
  CHECK(a->value.status == payment_status::captured);
  CHECK(b->value.payment_id == a->value.payment_id);
  CHECK(rows().size() == 1);
}

TEST_CASE_METHOD(provider_fixture,
                 "a refund returns the captured charge once") {
  auto p = spawn();
  auto c = ask(p, charge_atom_v, charge("o-1", "tok_ok"));
  run_for(50ms);
  auto r1 = ask(p, refund_atom_v, refund("o-1"));
  run_for(50ms);
  auto r2 = ask(p, refund_atom_v, refund("o-1"));
  auto other_key =
      ask(p, refund_atom_v, payment_request{"o-1:refund2", "o-1", 199000, ""});
  run_for(50ms);
  REQUIRE(r1->done);
  CHECK(r1->value.status == payment_status::refunded);
  CHECK(r1->value.amount == 199000);
  CHECK(r1->value.payment_id.rfind("ref_", 0) == 0);
  CHECK(r2->value.payment_id == r1->value.payment_id);
  CHECK(is_error(other_key->err, berry_errc::conflict));
  int refunds = 0;
  for (auto& row : rows())
    refunds += row.kind == payment_kind::refund &&
               row.status == payment_status::refunded;
  CHECK(refunds == 1);
  auto s = ask(p, status_atom_v, std::string{"o-1:refund"});
  run_for(50ms);
  CHECK(s->value.status == payment_status::refunded);
}

TEST_CASE_METHOD(provider_fixture,
                 "a refund with nothing captured is a conflict") {
  auto p = spawn();
  auto none = ask(p, refund_atom_v, refund("o-1"));
  auto d = ask(p, charge_atom_v, charge("o-2", "tok_decline"));
  run_for(50ms);
  auto declined = ask(p, refund_atom_v, refund("o-2"));
  run_for(50ms);
  CHECK(is_error(none->err, berry_errc::conflict));
  CHECK(is_error(declined->err, berry_errc::conflict));
  CHECK(rows().size() == 1);
}

TEST_CASE_METHOD(provider_fixture,
                 "a refund racing its charge waits for the charge's outcome") {
  auto p = spawn();
  auto c = ask(p, charge_atom_v, charge("o-1", "tok_slow"));
  run_for(100ms);
  auto r = ask(p, refund_atom_v, refund("o-1"));
  run_for(1000ms);
  CHECK_FALSE(r->done);
  run_for(1000ms);
  REQUIRE(c->done);
  REQUIRE(r->done);
  CHECK(c->value.status == payment_status::captured);
  CHECK(r->value.status == payment_status::refunded);
}

TEST_CASE_METHOD(
    provider_fixture,
    "a lost reply is charged and booked, only the answer is gone") {
  provider_init init;
  int calls = 0;
  init.drop_reply = [&calls](const payment_request&) { return ++calls == 1; };
  auto p = spawn(init);
  auto lost = ask(p, charge_atom_v, charge("o-1", "tok_ok"));
  run_for(500ms);
  CHECK_FALSE(lost->done);
  auto s = ask(p, status_atom_v, std::string{"o-1:charge"});
  auto again = ask(p, charge_atom_v, charge("o-1", "tok_ok"));
  run_for(50ms);
  CHECK(s->value.status == payment_status::captured);
  CHECK(again->value.status == payment_status::captured);
  CHECK(again->value.payment_id == s->value.payment_id);
  CHECK(rows().size() == 1);
}

TEST_CASE_METHOD(provider_fixture,
                 "a restarted provider knows its keys from the database") {
  auto p = spawn();
  auto c = ask(p, charge_atom_v, charge("o-1", "tok_ok"));
  auto f = ask(p, charge_atom_v, charge("o-2", "tok_flaky"));
  run_for(50ms);
  REQUIRE(c->value.status == payment_status::captured);
  caf::anon_send_exit(p, caf::exit_reason::kill);
  sched.run();
  auto p2 = spawn();
  auto s = ask(p2, status_atom_v, std::string{"o-1:charge"});
  auto never = ask(p2, status_atom_v, std::string{"o-9:charge"});
  auto again = ask(p2, charge_atom_v, charge("o-1", "tok_ok"));
  auto f2 = ask(p2, charge_atom_v, charge("o-2", "tok_flaky"));
  run_for(50ms);
  CHECK(s->value.status == payment_status::captured);
  CHECK(s->value.payment_id == c->value.payment_id);
  CHECK(never->value.status == payment_status::unknown);
  CHECK(again->value.payment_id == c->value.payment_id);
  CHECK(is_error(f2->err, berry_errc::unavailable)); // its second try fails too
  CHECK(rows().size() == 2);
}
