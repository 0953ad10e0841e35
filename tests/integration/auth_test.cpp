// Accounts over real sockets against the real binary: register, login, the
// failed-login limit, the admin account from the environment, and tokens
// that outlive a restart.

#include <catch2/catch.hpp>

#include "auth_client.hpp"

using namespace berry::test;
using nlohmann::json;

TEST_CASE("a new customer registers once and logs in with its password") {
  temp_dir dir;
  berry_server server{dir.path};
  auto port = server.port();
  auto reg = sign_up(port, "Anna@Example.ru", "password-123");
  REQUIRE(reg.status == 201);
  CHECK(reg.json()["role"] == "customer");
  CHECK_THAT(reg.json()["user_id"].get<std::string>(), Catch::StartsWith("u-"));
  CHECK_FALSE(reg.json()["token"].get<std::string>().empty());
  auto again = sign_up(port, "anna@example.ru ", "another-pass-1");
  check_problem(again, 409, "/conflict");
  CHECK(again.json()["detail"] == "email already registered");

  auto login = log_in(port, "ANNA@example.ru", "password-123");
  REQUIRE(login.status == 200);
  CHECK(login.json()["user_id"] == reg.json()["user_id"]);
  CHECK(login.json()["role"] == "customer");
  auto token = login.json()["token"].get<std::string>();
  // The token is the customer's: its cart answers, an admin endpoint is
  // forbidden to it, and without a token nobody gets in.
  CHECK(get(port, "/api/v1/cart", bearer(token)).status == 200);
  // ?access_token= is the tracking socket's alone (issue 11, finding 9).
  CHECK(get(port, "/api/v1/cart?access_token=" + token).status == 401);
  check_problem(
      post_json(port, "/api/v1/products", new_product(), bearer(token)), 403,
      "/forbidden");
  check_problem(post_json(port, "/api/v1/products", new_product()), 401,
                "/unauthorized");
  check_problem(get(port, "/api/v1/cart", bearer(token + "x")), 401,
                "/unauthorized");
  check_problem(log_in(port, "anna@example.ru", "password-124"), 401,
                "/unauthorized");
  check_problem(log_in(port, "nobody@example.ru", "password-123"), 401,
                "/unauthorized");
}

TEST_CASE("a registration with a short password, bad email or no name is 422") {
  temp_dir dir;
  berry_server server{dir.path};
  auto port = server.port();
  check_problem(sign_up(port, "anna@example.ru", "short"), 422, "/validation");
  check_problem(sign_up(port, "anna-at-example.ru", "password-123"), 422,
                "/validation");
  check_problem(sign_up(port, "anna@example.ru", "password-123", ""), 422,
                "/validation");
  check_problem(
      post_json(port, "/api/v1/auth/register",
                {{"email", "anna@example.ru"}, {"password", "password-123"}}),
      422, "/validation");
  auto garbled = request(port, "POST", "/api/v1/auth/register",
                         "{\"email\":", {{"Content-Type", "application/json"}});
  CHECK(garbled.status == 400);
  // None of them created the account.
  CHECK(sign_up(port, "anna@example.ru", "password-123").status == 201);
}

TEST_CASE("the sixth wrong password is refused with 429 and Retry-After") {
  temp_dir dir;
  berry_server server{dir.path};
  auto port = server.port();
  REQUIRE(sign_up(port, "boris@example.ru", "password-123").status == 201);
  for (int i = 0; i < 5; ++i)
    CHECK(log_in(port, "boris@example.ru", "wrong-guess").status == 401);
  auto sixth = log_in(port, "boris@example.ru", "wrong-guess");
  check_problem(sixth, 429, "/rate-limited");
  auto wait = sixth.header("retry-after");
  REQUIRE_FALSE(wait.empty());
  CHECK(std::stoi(wait) > 0);
  CHECK(std::stoi(wait) <= 300);
  // Even the right password waits now; other accounts are not affected.
  CHECK(log_in(port, "Boris@example.ru", "password-123").status == 429);
  REQUIRE(sign_up(port, "vera@example.ru", "password-123").status == 201);
  CHECK(log_in(port, "vera@example.ru", "password-123").status == 200);
}

TEST_CASE("the admin account from the environment logs in as admin") {
  temp_dir dir;
  {
    auto server = shop_server(dir.path);
    auto login = log_in(server.port(), admin_email, admin_password);
    REQUIRE(login.status == 200);
    CHECK(login.json()["role"] == "admin");
    auto token = login.json()["token"].get<std::string>();
    CHECK(get(server.port(), "/api/v1/warehouses", bearer(token)).status ==
          200);
    CHECK(server.stop() == 0);
  }
  // A restart with another password resets it: the old one stops working.
  berry_server server{dir.path,
                      {},
                      {"BERRY_ADMIN_EMAIL=" + admin_email,
                       "BERRY_ADMIN_PASSWORD=new-admin-secret"}};
  CHECK(log_in(server.port(), admin_email, admin_password).status == 401);
  auto login = log_in(server.port(), admin_email, "new-admin-secret");
  REQUIRE(login.status == 200);
  CHECK(login.json()["role"] == "admin");
}

TEST_CASE("a token issued before a restart is still valid after it") {
  temp_dir dir;
  std::string token;
  {
    berry_server first{dir.path};
    auto reg = sign_up(first.port(), "gleb@example.ru", "password-123");
    REQUIRE(reg.status == 201);
    token = reg.json()["token"];
    CHECK(first.stop() == 0);
  }
  berry_server second{dir.path};
  CHECK(get(second.port(), "/api/v1/cart", bearer(token)).status == 200);
  CHECK(log_in(second.port(), "gleb@example.ru", "password-123").status == 200);
  CHECK(sign_up(second.port(), "gleb@example.ru", "password-123").status ==
        409);
}
