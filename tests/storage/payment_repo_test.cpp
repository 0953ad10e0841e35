#include "storage/payment_repo.hpp"

#include <catch2/catch.hpp>

#include "storage/migrations.hpp"
#include "support/test_store.hpp"

using namespace berry;
using namespace berry::storage;

namespace {

database migrated() {
  auto db = test::fresh_database();
  return db;
}

provider_payment charge(std::string key, payment_status status) {
  provider_payment x;
  x.key = std::move(key);
  x.payment_id = "pay_" + x.key;
  x.order_id = "o-1";
  x.amount = 199000;
  x.token = "tok_flaky";
  x.status = status;
  x.attempts = 1;
  x.created_at_ms = 1700000000000;
  return x;
}

} // namespace

TEST_CASE("a provider payment reads back as it was written") {
  auto db = migrated();
  execute(db, upsert_provider_payment(
                  charge("o-1:charge", payment_status::captured)));
  auto rows = load_provider_payments(db);
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].key == "o-1:charge");
  CHECK(rows[0].payment_id == "pay_o-1:charge");
  CHECK(rows[0].order_id == "o-1");
  CHECK(rows[0].kind == payment_kind::charge);
  CHECK(rows[0].amount == 199000);
  CHECK(rows[0].token == "tok_flaky");
  CHECK(rows[0].status == payment_status::captured);
  CHECK(rows[0].attempts == 1);
  CHECK(rows[0].created_at_ms == 1700000000000);
}

TEST_CASE("a second write of a key changes its outcome, not its identity") {
  auto db = migrated();
  execute(db, upsert_provider_payment(
                  charge("o-1:charge", payment_status::failed)));
  auto again = charge("o-1:charge", payment_status::captured);
  again.payment_id = "pay_other";
  again.amount = 1;
  again.attempts = 2;
  execute(db, upsert_provider_payment(again));
  auto rows = load_provider_payments(db);
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].status == payment_status::captured);
  CHECK(rows[0].attempts == 2);
  CHECK(rows[0].payment_id == "pay_o-1:charge");
  CHECK(rows[0].amount == 199000);
}

TEST_CASE("bumping a key counts one more try and records its outcome") {
  auto db = migrated();
  execute(db, upsert_provider_payment(
                  charge("o-1:charge", payment_status::failed)));
  execute(db, bump_provider_attempts("o-1:charge", payment_status::failed));
  execute(db, bump_provider_attempts("o-1:charge", payment_status::captured));
  auto rows = load_provider_payments(db);
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].attempts == 3);
  CHECK(rows[0].status == payment_status::captured);
}

TEST_CASE("the database refuses a payment status the provider never uses") {
  auto db = migrated();
  CHECK_THROWS_AS(execute(db, upsert_provider_payment(charge(
                                  "o-1:charge", payment_status::processing))),
                  db_error);
  CHECK(load_provider_payments(db).empty());
}
