// Checkout bodies that must not bend the money (issue 11), over HTTP
// against the real binary: lines merged by product under the 99-unit cap,
// payment fields of any JSON type, totals that would overflow, a data dir
// only its owner reads, and the per-user business limits (unpaid orders,
// units of one product).

#include <catch2/catch.hpp>

#include <memory>
#include <sys/stat.h>

#include "shop.hpp"

using namespace berry::test;

namespace {

int mode_of(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 ? int(st.st_mode & 0777) : -1;
}

http_response patch_price(uint16_t port, const std::string& admin,
                          const std::string& pid, int64_t amount) {
  auto h = bearer(admin);
  h["Content-Type"] = "application/json";
  nlohmann::json body{{"price", {{"amount", amount}, {"currency", "RUB"}}}};
  return request(port, "PATCH", "/api/v1/products/" + pid, body.dump(), h);
}

std::string pid(int i) {
  auto n = std::to_string(i);
  return "p-" + std::string(6 - n.size(), '0') + n;
}

} // namespace

TEST_CASE("lines of one product count together against the 99-unit cap") {
  temp_dir dir;
  auto server = shop_server(dir.path);
  auto port = server.port();
  auto admin = admin_token(port);
  stock_only(port, admin, "p-000010", 10000);
  auto token = register_customer(port, "anna@example.ru");
  std::vector<std::pair<std::string, int>> hundred(100, {"p-000010", 99});
  auto res = checkout(port, token, "k-1", checkout_body(hundred, "tok_ok"));
  CHECK(res.status == 422);
  CHECK_THAT(res.json()["type"].get<std::string>(),
             Catch::EndsWith("/validation"));
  CHECK(checkout(port, token, "k-2",
                 checkout_body({{"p-000010", 50}, {"p-000010", 50}}, "tok_ok"))
            .status == 422);
  auto ok =
      checkout(port, token, "k-3",
               checkout_body({{"p-000010", 40}, {"p-000010", 50}}, "tok_ok"));
  REQUIRE(ok.status == 201);
  auto lines = ok.json()["lines"];
  REQUIRE(lines.size() == 1);
  CHECK(lines[0]["qty"] == 90);
}

TEST_CASE("a payment method of another JSON type is 422, not 500") {
  temp_dir dir;
  auto server = shop_server(dir.path);
  auto port = server.port();
  auto token = register_customer(port, "anna@example.ru");
  auto body = checkout_body({{"p-000010", 1}}, "tok_ok");
  int n = 0;
  for (auto payment :
       {nlohmann::json{{"method", 5}, {"token", "tok_ok"}},
        nlohmann::json{{"method", nullptr}, {"token", "tok_ok"}},
        nlohmann::json{{"token", "tok_ok"}}, nlohmann::json(nullptr),
        nlohmann::json::array(), nlohmann::json{{"method", {1, 2}}}}) {
    body["payment"] = payment;
    auto res = checkout(port, token, "k-" + std::to_string(++n), body);
    CHECK(res.status == 422);
  }
}

TEST_CASE("an order whose total would overflow is 422, with no SQL in sight") {
  temp_dir dir;
  auto server = shop_server(dir.path);
  auto port = server.port();
  auto admin = admin_token(port);
  // 2^50 kopecks x 99 units x 84 products is past 2^63.
  std::vector<std::pair<std::string, int>> lines;
  for (int i = 1; i <= 84; ++i) {
    REQUIRE(patch_price(port, admin, pid(i), int64_t{1} << 50).status == 200);
    lines.push_back({pid(i), 99});
  }
  auto token = register_customer(port, "anna@example.ru");
  auto res = checkout(port, token, "k-1", checkout_body(lines, "tok_ok"));
  CHECK(res.status == 422);
  CHECK_THAT(res.body, !Catch::Contains("CHECK") && !Catch::Contains("SQL"));
}

TEST_CASE("the data dir is the owner's alone, and so is the database") {
  temp_dir dir;
  auto data = dir.path + "/data";
  auto server = shop_server(data);
  auto port = server.port();
  REQUIRE_FALSE(register_customer(port, "anna@example.ru").empty());
  CHECK(mode_of(data) == 0700);
  CHECK(mode_of(data + "/berry.db") == 0600);
  CHECK(mode_of(data + "/berry.db-wal") == 0600);
  CHECK(mode_of(data + "/berry.db-shm") == 0600);
  CHECK(mode_of(data + "/token.key") == 0600);
}

TEST_CASE("a user may hold only so many orders that are not paid yet") {
  temp_dir dir;
  auto server = shop_server(dir.path, {"--max-unpaid-orders", "2"});
  auto port = server.port();
  auto token = register_customer(port, "anna@example.ru");
  // All three at once; tok_slow keeps each payment running about 2 s.
  std::vector<std::unique_ptr<http_connection>> buyers;
  for (int i = 0; i < 3; ++i) {
    auto h = bearer(token);
    h["Content-Type"] = "application/json";
    h["Idempotency-Key"] = "slow-" + std::to_string(i);
    buyers.push_back(std::make_unique<http_connection>(port));
    REQUIRE(buyers.back()->send(
        "POST", "/api/v1/checkout",
        checkout_body({{"p-000120", 1}}, "tok_slow").dump(), h));
  }
  int paid = 0, limited = 0;
  for (auto& b : buyers) {
    auto res = b->read_response();
    paid += res.status == 201;
    limited += res.status == 429 && res.header("retry-after") == "1";
  }
  CHECK(paid == 2);
  CHECK(limited == 1);
  // Once they are paid, the user buys again; another user never waited.
  CHECK(checkout(port, token, "k-after",
                 checkout_body({{"p-000120", 1}}, "tok_ok"))
            .status == 201);
}

TEST_CASE("the units of one product in one order are capped as configured") {
  temp_dir dir;
  auto server = shop_server(dir.path, {"--max-units-per-product", "5"});
  auto port = server.port();
  auto token = register_customer(port, "anna@example.ru");
  CHECK(checkout(port, token, "k-1", checkout_body({{"p-000120", 6}}, "tok_ok"))
            .status == 422);
  CHECK(checkout(port, token, "k-2",
                 checkout_body({{"p-000120", 3}, {"p-000120", 3}}, "tok_ok"))
            .status == 422);
  CHECK(checkout(port, token, "k-3", checkout_body({{"p-000120", 5}}, "tok_ok"))
            .status == 201);
}
