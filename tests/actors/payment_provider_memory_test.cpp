// The provider's books with a finder: what is settled leaves memory once
// answered, and repeats, refunds and status questions are answered from
// storage.

#include "actors/payment_provider.hpp"

#include <catch2/catch.hpp>

#include "payment_fixture.hpp"

using namespace std::chrono_literals;
using namespace berry;

namespace {

/// A provider that reads nothing at start and finds its rows in storage.
struct finding_fixture : test::payment_books_fixture {
  provider_actor spawn() {
    provider_init init;
    init.journal = journal;
    init.find = sqlite_provider_finder(db_path);
    return keep(spawn_provider(sys, std::move(init)));
  }

  /// Changes a stored row behind the provider's back.
  void set_payment_id(const std::string& key, const std::string& id) {
    auto db = storage::database::open(db_path);
    auto st = db.prepare("UPDATE provider_payments SET payment_id = ?2"
                         " WHERE key = ?1");
    st.bind(1, key).bind(2, id);
    st.step();
  }
};

payment_request charge(const std::string& order) {
  return {order + ":charge", order, 199000, "tok_ok"};
}

} // namespace

TEST_CASE("books take stored rows back without overwriting one in flight, "
          "and let an order's settled rows go") {
  provider_books b;
  provider_payment r{"o-1:charge",
                     "pay_1",
                     "o-1",
                     payment_kind::charge,
                     100,
                     "tok_ok",
                     payment_status::captured,
                     1,
                     0};
  auto flying = r;
  flying.status = payment_status::failed;
  b.processing[r.key] = flying;
  b.remember(r);
  CHECK(b.settled.empty());
  CHECK(b.busy("o-1"));
  b.processing.clear();
  b.remember(r);
  auto other = r;
  other.key = "o-2:charge";
  other.order_id = "o-2";
  b.remember(other);
  b.forget_order("o-1");
  REQUIRE(b.settled.size() == 1);
  CHECK(b.settled.count("o-2:charge") == 1);
  CHECK_FALSE(b.busy("o-2"));
}

TEST_CASE_METHOD(finding_fixture,
                 "a settled charge leaves the provider's memory; a repeat is "
                 "answered from storage") {
  auto p = spawn();
  auto first = ask(p, charge_atom_v, charge("o-1"));
  run_for(50ms);
  REQUIRE(first->value.status == payment_status::captured);
  // Storage, not memory, answers the repeat.
  set_payment_id("o-1:charge", "pay_from_storage");
  auto again = ask(p, charge_atom_v, charge("o-1"));
  auto status = ask(p, status_atom_v, std::string{"o-1:charge"});
  run_for(50ms);
  CHECK(again->value.payment_id == "pay_from_storage");
  CHECK(status->value.status == payment_status::captured);
  CHECK(rows().size() == 1);
}

TEST_CASE_METHOD(finding_fixture,
                 "a refund finds its charge in storage, once") {
  auto p = spawn();
  auto c = ask(p, charge_atom_v, charge("o-1"));
  run_for(50ms);
  REQUIRE(c->value.status == payment_status::captured);
  auto r =
      ask(p, refund_atom_v, payment_request{"o-1:refund", "o-1", 199000, ""});
  run_for(50ms);
  CHECK(r->value.status == payment_status::refunded);
  auto twice =
      ask(p, refund_atom_v, payment_request{"o-1:refund-2", "o-1", 199000, ""});
  auto none =
      ask(p, refund_atom_v, payment_request{"o-9:refund", "o-9", 199000, ""});
  run_for(50ms);
  CHECK(is_error(twice->err, berry_errc::conflict));
  CHECK(is_error(none->err, berry_errc::conflict));
  CHECK(rows().size() == 2);
}

TEST_CASE_METHOD(finding_fixture,
                 "a provider that cannot read its books waits for them, "
                 "never guesses") {
  provider_init init;
  init.journal = journal;
  auto reads = std::make_shared<int>(0);
  auto real = sqlite_provider_finder(db_path);
  init.find = [reads, real](const std::string& order, const std::string& key) {
    if (++*reads == 1)
      throw storage::db_error(1, "the database is away");
    return real(order, key);
  };
  auto p = keep(spawn_provider(sys, std::move(init)));
  auto c = ask(p, charge_atom_v, charge("o-1"));
  run_for(100ms);
  CHECK_FALSE(c->done);
  run_for(200ms);
  REQUIRE(c->done);
  CHECK(c->value.status == payment_status::captured);
  CHECK(rows().size() == 1);
}
