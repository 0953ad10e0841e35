// The edge in a cluster: a well-signed token of an account this node does
// not know (made, or changed, on another node) is checked only once the
// node has asked for that account; every other request goes straight on.

#include "http/auth.hpp"

#include <catch2/catch.hpp>

#include "actors/accounts_tokens.hpp"
#include "http/routes.hpp"

using namespace berry::http;

namespace {

int64_t now_s() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

request with(const std::string& token) {
  request req;
  req.headers.push_back({"Authorization", "Bearer " + token});
  return req;
}

/// An edge whose learn_account records what it was asked, and answers
/// when the test says.
struct learning_edge {
  token_service tokens{std::string(32, 'k')};
  berry::token_registry sessions;
  route_env env;
  std::vector<std::pair<std::string, int64_t>> asked;
  std::function<void(bool)> pending;

  learning_edge() {
    sessions.load({{"u-1", 0}}, {});
    env.ctx.tokens = &tokens;
    env.ctx.sessions = &sessions;
    env.ctx.learn_account = [this](const std::string& user, int64_t version,
                                   std::function<void(bool)> done) {
      asked.emplace_back(user, version);
      pending = std::move(done);
    };
  }
};

} // namespace

TEST_CASE_METHOD(learning_edge,
                 "a known account's token is checked at once, with no read") {
  auto token = tokens.issue({"u-1", "customer", 0}, now_s());
  CHECK_FALSE(unknown_account(env, with(token)));
  bool ran = false;
  after_account_known(
      env, with(token), [&] { ran = true; }, [](response) {});
  CHECK(ran);
  CHECK(asked.empty());
}

TEST_CASE_METHOD(learning_edge,
                 "an unknown account, or a newer version, is read before the "
                 "token is checked") {
  auto now = now_s();
  auto theirs = tokens.issue({"u-2", "customer", 0}, now);
  auto newer = tokens.issue({"u-1", "customer", 3}, now);
  CHECK(unknown_account(env, with(theirs)) ==
        std::make_pair(std::string{"u-2"}, int64_t{0}));
  CHECK(unknown_account(env, with(newer)) ==
        std::make_pair(std::string{"u-1"}, int64_t{3}));
  bool ran = false;
  after_account_known(
      env, with(theirs), [&] { ran = true; }, [](response) {});
  CHECK_FALSE(ran);
  REQUIRE(asked.size() == 1);
  sessions.learn("u-2", 0);
  pending(true);
  CHECK(ran);
  CHECK(authenticate(env, with(theirs)));
}

TEST_CASE_METHOD(learning_edge,
                 "an account that cannot be read now answers 503") {
  auto token = tokens.issue({"u-2", "customer", 0}, now_s());
  std::optional<response> refused;
  bool ran = false;
  after_account_known(
      env, with(token), [&] { ran = true; },
      [&](response res) { refused = std::move(res); });
  pending(false);
  CHECK_FALSE(ran);
  REQUIRE(refused);
  CHECK(refused->status == 503);
}

TEST_CASE_METHOD(learning_edge,
                 "a forged, expired or missing token never costs a read") {
  auto now = now_s();
  token_service other{std::string(32, 'x')};
  CHECK_FALSE(
      unknown_account(env, with(other.issue({"u-2", "admin", 0}, now))));
  CHECK_FALSE(unknown_account(
      env, with(tokens.issue({"u-2", "customer", 0}, now - 2 * 86400))));
  CHECK_FALSE(unknown_account(env, request{}));
  CHECK(asked.empty());
}

TEST_CASE_METHOD(learning_edge,
                 "the tracking socket's ?access_token= is read like a bearer") {
  auto token = tokens.issue({"u-2", "customer", 0}, now_s());
  request req;
  req.query = "access_token=" + token;
  CHECK(unknown_account(env, req) ==
        std::make_pair(std::string{"u-2"}, int64_t{0}));
}
