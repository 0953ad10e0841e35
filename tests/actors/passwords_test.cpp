#include "actors/passwords.hpp"

#include <catch2/catch.hpp>

using namespace berry;

TEST_CASE("a password verifies against its own hash and a wrong one fails") {
  auto hash = hash_password("correct horse");
  CHECK(hash.rfind("$argon2id$", 0) == 0);
  CHECK(hash.find("m=19456,t=2") != std::string::npos);
  CHECK(verify_password("correct horse", hash));
  CHECK_FALSE(verify_password("correct horsE", hash));
  CHECK_FALSE(verify_password("", hash));
  CHECK_FALSE(verify_password("correct horse", "not a hash"));
  // Salted: the same password never hashes to the same string twice.
  CHECK(hash_password("correct horse") != hash);
}

TEST_CASE("emails are trimmed and lower-cased, and malformed ones refused") {
  CHECK(normalize_email("  Anna@Example.RU ") == "anna@example.ru");
  for (auto bad :
       {"", "anna", "anna@", "@example.ru", "anna@example", "an na@example.ru",
        "a@b@example.ru", "anna@.ru", "anna@example."})
    CHECK_FALSE(normalize_email(bad));
  CHECK_FALSE(normalize_email(std::string(250, 'a') + "@b.ru"));
}
