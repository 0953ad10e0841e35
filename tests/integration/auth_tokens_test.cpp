// Tokens that can be taken back, over real sockets against the real binary
// (issue 11): logout, a password reset that revokes older tokens, tokens of
// accounts that do not exist, and a configurable lifetime.

#include <catch2/catch.hpp>

#include <chrono>

#include "auth_client.hpp"
#include "storage/database.hpp"

using namespace berry::test;

namespace {

std::string token_of(const http_response& res) {
  return res.json()["token"].get<std::string>();
}

int cart_status(uint16_t port, const std::string& token) {
  return get(port, "/api/v1/cart", bearer(token)).status;
}

/// The payload of a token: "v2|user|role|expiry|version|id".
std::string payload_of(const std::string& token) {
  static const std::string alphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  uint32_t bits = 0;
  int n = 0;
  for (char c : token.substr(0, token.find('.'))) {
    bits = (bits << 6) | static_cast<uint32_t>(alphabet.find(c));
    if ((n += 6) >= 8)
      out += static_cast<char>((bits >> (n -= 8)) & 0xFF);
  }
  return out;
}

} // namespace

TEST_CASE("a logout answers 204 and its token is refused from then on") {
  temp_dir dir;
  std::string first, second;
  {
    berry_server server{dir.path};
    auto port = server.port();
    first = token_of(sign_up(port, "anna@example.ru", "password-123"));
    second = token_of(log_in(port, "anna@example.ru", "password-123"));
    check_problem(post_json(port, "/api/v1/auth/logout", {}), 401,
                  "/unauthorized");
    auto out = post_json(port, "/api/v1/auth/logout", {}, bearer(first));
    CHECK(out.status == 204);
    CHECK(out.body.empty());
    check_problem(get(port, "/api/v1/cart", bearer(first)), 401,
                  "/unauthorized");
    CHECK(post_json(port, "/api/v1/auth/logout", {}, bearer(first)).status ==
          401);
    CHECK(cart_status(port, second) == 200); // only that token
    CHECK(server.stop() == 0);
  }
  berry_server again{dir.path};
  CHECK(cart_status(again.port(), first) == 401);
  CHECK(cart_status(again.port(), second) == 200);
}

TEST_CASE("an admin reset with a new password revokes older admin tokens") {
  temp_dir dir;
  std::string old_token;
  {
    auto server = shop_server(dir.path);
    old_token = admin_token(server.port());
    REQUIRE_FALSE(old_token.empty());
    CHECK(server.stop() == 0);
  }
  {
    // The same password again keeps the tokens.
    auto server = shop_server(dir.path);
    CHECK(get(server.port(), "/api/v1/warehouses", bearer(old_token)).status ==
          200);
    CHECK(server.stop() == 0);
  }
  berry_server server{dir.path,
                      {},
                      {"BERRY_ADMIN_EMAIL=" + admin_email,
                       "BERRY_ADMIN_PASSWORD=new-admin-secret"}};
  CHECK(get(server.port(), "/api/v1/warehouses", bearer(old_token)).status ==
        401);
  auto fresh = log_in(server.port(), admin_email, "new-admin-secret");
  REQUIRE(fresh.status == 200);
  CHECK(get(server.port(), "/api/v1/warehouses", bearer(token_of(fresh)))
            .status == 200);
}

TEST_CASE("a well-signed token of an account that does not exist is 401") {
  temp_dir dir;
  std::string token;
  {
    berry_server server{dir.path};
    token = token_of(sign_up(server.port(), "gone@example.ru", "password-123"));
    CHECK(server.stop() == 0);
  }
  {
    auto db = berry::storage::database::open(store_location(dir.path));
    db.exec("DELETE FROM users WHERE email = 'gone@example.ru'");
  }
  berry_server server{dir.path};
  check_problem(get(server.port(), "/api/v1/cart", bearer(token)), 401,
                "/unauthorized");
}

TEST_CASE("a token lives as long as --token-ttl-s says") {
  temp_dir dir;
  berry_server server{dir.path, {"--token-ttl-s", "600"}};
  auto now = std::chrono::duration_cast<std::chrono::seconds>(
                 std::chrono::system_clock::now().time_since_epoch())
                 .count();
  auto payload = payload_of(
      token_of(sign_up(server.port(), "anna@example.ru", "password-123")));
  auto fields = std::vector<std::string>{};
  for (size_t at = 0, bar; at <= payload.size(); at = bar + 1) {
    bar = payload.find('|', at);
    if (bar == std::string::npos)
      bar = payload.size();
    fields.push_back(payload.substr(at, bar - at));
  }
  REQUIRE(fields.size() == 6);
  auto expiry = std::stoll(fields[3]);
  CHECK(expiry >= now + 590);
  CHECK(expiry <= now + 610);
}
