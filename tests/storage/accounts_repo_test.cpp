#include "storage/accounts_repo.hpp"

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

user_account anna() {
  return {"u-00000000000000a1",
          "anna@example.ru",
          "Анна",
          "customer",
          "$argon2id$v=19$m=19456,t=2,p=1$fake",
          1700000000000};
}

} // namespace

TEST_CASE("an inserted account is found by its email and by its id") {
  auto db = migrated();
  execute(db, insert_user(anna()));
  auto by_email = find_user_by_email(db, "anna@example.ru");
  REQUIRE(by_email);
  CHECK(by_email->id == "u-00000000000000a1");
  CHECK(by_email->name == "Анна");
  CHECK(by_email->role == "customer");
  CHECK(by_email->password_hash == anna().password_hash);
  CHECK(by_email->created_at_ms == 1700000000000);
  auto by_id = find_user_by_id(db, "u-00000000000000a1");
  REQUIRE(by_id);
  CHECK(by_id->email == "anna@example.ru");
  CHECK_FALSE(find_user_by_email(db, "boris@example.ru"));
  CHECK_FALSE(find_user_by_id(db, "u-unknown"));
}

TEST_CASE("a second account with a taken email is refused by the database") {
  auto db = migrated();
  execute(db, insert_user(anna()));
  auto twin = anna();
  twin.id = "u-00000000000000b2";
  twin.name = "Другая Анна";
  try {
    execute(db, insert_user(twin));
    FAIL("the second insert went through");
  } catch (const db_error& e) {
    CHECK(e.is_constraint());
  }
  CHECK(find_user_by_email(db, "anna@example.ru")->name == "Анна");
  CHECK_FALSE(find_user_by_id(db, "u-00000000000000b2"));
}

TEST_CASE("ensure_admin creates the admin account with a fresh user id") {
  auto db = migrated();
  ensure_admin(db, "root@berry.test", "hash-1");
  auto admin = find_user_by_email(db, "root@berry.test");
  REQUIRE(admin);
  CHECK(admin->role == "admin");
  CHECK(admin->password_hash == "hash-1");
  REQUIRE(admin->id.size() == 18);
  CHECK(admin->id.rfind("u-", 0) == 0);
  CHECK(admin->id.find_first_not_of("0123456789abcdef", 2) ==
        std::string::npos);
  CHECK(admin->created_at_ms > 0);
}

TEST_CASE("ensure_admin resets the password and role and keeps the id") {
  auto db = migrated();
  ensure_admin(db, "root@berry.test", "hash-1");
  auto first = find_user_by_email(db, "root@berry.test");
  REQUIRE(first);
  db.exec("UPDATE users SET role = 'customer' WHERE email = 'root@berry.test'");
  ensure_admin(db, "root@berry.test", "hash-2");
  auto again = find_user_by_email(db, "root@berry.test");
  REQUIRE(again);
  CHECK(again->id == first->id);
  CHECK(again->role == "admin");
  CHECK(again->password_hash == "hash-2");
  auto count = db.prepare("SELECT count(*) FROM users");
  REQUIRE(count.step());
  CHECK(count.col_int(0) == 1);
}

TEST_CASE("ensure_admin makes an existing customer account the admin") {
  auto db = migrated();
  auto user = anna();
  execute(db, insert_user(user));
  ensure_admin(db, user.email, "hash-admin");
  auto admin = find_user_by_email(db, user.email);
  REQUIRE(admin);
  CHECK(admin->id == user.id);
  CHECK(admin->role == "admin");
  CHECK(admin->password_hash == "hash-admin");
}
