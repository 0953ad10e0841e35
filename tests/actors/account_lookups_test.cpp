// The pure state behind the accounts sync actor: which accounts are read
// from storage for a token this node does not know, and how often.

#include "actors/account_lookups.hpp"

#include <catch2/catch.hpp>

#include "actors/accounts_tokens.hpp"

using namespace berry;
using step = account_lookups::step;

TEST_CASE("an account is read once however many tokens of it wait") {
  account_lookups l{2000, 8};
  CHECK(l.begin("u-1", 0, 0) == step::ask);
  CHECK(l.begin("u-1", 0, 1) == step::wait);
  CHECK(l.begin("u-1", 3, 2) == step::wait);
  CHECK(l.pending() == 1);
  CHECK(l.finish("u-1", 0, 5));
  CHECK(l.pending() == 0);
  CHECK_FALSE(l.finish("u-1", 0, 6));
}

TEST_CASE("an account storage did not have is not read again for a while") {
  account_lookups l{2000, 8};
  REQUIRE(l.begin("u-x", 0, 1000) == step::ask);
  l.finish("u-x", -1, 1000);
  CHECK(l.begin("u-x", 0, 1500) == step::missing);
  CHECK(l.begin("u-x", 0, 2999) == step::missing);
  CHECK(l.begin("u-x", 0, 3000) == step::ask);
}

TEST_CASE("a version newer than storage holds is a miss, an older one not") {
  account_lookups l{2000, 8};
  REQUIRE(l.begin("u-1", 4, 0) == step::ask);
  l.finish("u-1", 3, 0);
  CHECK(l.begin("u-1", 4, 10) == step::missing);
  CHECK(l.begin("u-1", 3, 10) == step::ask);
}

TEST_CASE("a failed read is not remembered as a miss") {
  account_lookups l{2000, 8};
  REQUIRE(l.begin("u-1", 0, 0) == step::ask);
  l.abandon("u-1");
  CHECK(l.pending() == 0);
  CHECK(l.begin("u-1", 0, 1) == step::ask);
}

TEST_CASE("reads past the most at once are refused as busy") {
  account_lookups l{2000, 2};
  CHECK(l.begin("u-1", 0, 0) == step::ask);
  CHECK(l.begin("u-2", 0, 0) == step::ask);
  CHECK(l.begin("u-3", 0, 0) == step::busy);
  CHECK(l.begin("u-1", 0, 0) == step::wait);
  l.finish("u-1", 0, 1);
  CHECK(l.begin("u-3", 0, 1) == step::ask);
}

TEST_CASE("remembered reads are swept once they are old") {
  account_lookups l{100, 1000};
  auto miss = [&](const std::string& user, int64_t now) {
    REQUIRE(l.begin(user, 0, now) == step::ask);
    l.finish(user, -1, now);
  };
  for (int i = 0; i < 64; ++i)
    miss("old-" + std::to_string(i), 0);
  CHECK(l.remembered() == 64);
  // The table sweeps when it has doubled since the last sweep (at 64, when
  // nothing had expired yet): the 64 old ones, expired at 100, go then.
  for (int i = 0; i < 127; ++i)
    miss("new-" + std::to_string(i), 500);
  CHECK(l.remembered() == 191);
  miss("last", 500);
  CHECK(l.remembered() == 128);
  CHECK(l.begin("old-1", 0, 500) == step::ask);
}

TEST_CASE("a version learned from elsewhere never takes one back") {
  token_registry r;
  CHECK(r.version_of("u-1") == -1);
  r.learn("u-1", 2);
  CHECK(r.version_of("u-1") == 2);
  r.learn("u-1", 1);
  CHECK(r.version_of("u-1") == 2);
  r.learn("u-1", 3);
  CHECK(r.version_of("u-1") == 3);
  CHECK(r.check("u-1", 2, "t") == token_verdict::superseded);
  CHECK(r.check("u-1", 3, "t") == token_verdict::good);
}
