// The edge's limits and errors, over real sockets against the real binary.

#include <catch2/catch.hpp>

#include "http_client.hpp"
#include "process.hpp"

using berry::test::berry_server;
using berry::test::get;
using berry::test::http_connection;
using berry::test::request;
using berry::test::temp_dir;

namespace {

bool is_problem(const berry::test::http_response& res, int status,
                const std::string& slug) {
  if (res.header("content-type") != "application/problem+json")
    return false;
  auto p = res.json();
  auto type = p.value("type", std::string{});
  return p.value("status", 0) == status && type.size() >= slug.size() &&
         type.compare(type.size() - slug.size(), slug.size(), slug) == 0;
}

} // namespace

TEST_CASE("a body over 64 KiB is refused with 413") {
  temp_dir dir;
  berry_server server{dir.path, {"--no-seed"}};
  std::string big(70 * 1024, 'x');
  auto res = request(server.port(), "POST", "/api/v1/products", big,
                     {{"Content-Type", "application/json"}});
  CHECK(res.status == 413);
  CHECK(is_problem(res, 413, "payload-too-large"));
}

TEST_CASE("headers over 8 KiB are refused with 431") {
  temp_dir dir;
  berry_server server{dir.path, {"--no-seed"}};
  auto res = get(server.port(), "/api/v1/categories",
                 {{"X-Filler", std::string(9 * 1024, 'a')}});
  CHECK(res.status == 431);
  CHECK(is_problem(res, 431, "headers-too-large"));
}

TEST_CASE("malformed JSON is a problem+json 400") {
  temp_dir dir;
  berry_server server{dir.path, {"--no-seed"}};
  auto res = request(server.port(), "POST", "/api/v1/auth/register",
                     R"({"email": "a@b.ru", "password": )",
                     {{"Content-Type", "application/json"}});
  CHECK(res.status == 400);
  CHECK(is_problem(res, 400, "bad-request"));
}

TEST_CASE("an unknown route is 404 and a wrong method 405, both problem+json") {
  temp_dir dir;
  berry_server server{dir.path, {"--no-seed"}};
  auto missing = get(server.port(), "/api/v1/nothing-here");
  CHECK(missing.status == 404);
  CHECK(is_problem(missing, 404, "not-found"));
  auto wrong = request(server.port(), "DELETE", "/api/v1/categories");
  CHECK(wrong.status == 405);
  CHECK(is_problem(wrong, 405, "method-not-allowed"));
  CHECK_THAT(wrong.header("allow"), Catch::Contains("GET"));
}

TEST_CASE("one connection serves several requests with keep-alive") {
  temp_dir dir;
  berry_server server{dir.path};
  http_connection c{server.port()};
  for (int i = 0; i < 5; ++i) {
    REQUIRE(c.send("GET", "/api/v1/products/p-00000" + std::to_string(i + 1)));
    auto res = c.read_response();
    CHECK(res.status == 200);
    CHECK(res.json()["id"] == "p-00000" + std::to_string(i + 1));
    CHECK_FALSE(res.header("x-request-id").empty());
  }
}

TEST_CASE("a client that sends nothing is disconnected after the idle time") {
  temp_dir dir;
  berry_server server{dir.path, {"--no-seed", "--idle-timeout-ms", "300"}};
  http_connection silent{server.port()};
  CHECK(silent.wait_closed(10000));
  // Half a request line is not activity enough either.
  http_connection slow{server.port()};
  slow.send_raw("GET /api/v1/categ");
  CHECK(slow.wait_closed(10000));
  // The server still serves others.
  CHECK(get(server.port(), "/healthz").status == 200);
}

TEST_CASE("connections over the cap are answered 503") {
  temp_dir dir;
  berry_server server{dir.path, {"--no-seed", "--max-connections", "2"}};
  http_connection a{server.port()};
  http_connection b{server.port()};
  // Both are accepted and served.
  a.send("GET", "/healthz");
  b.send("GET", "/healthz");
  CHECK(a.read_response().status == 200);
  CHECK(b.read_response().status == 200);
  http_connection c{server.port()};
  c.send("GET", "/healthz");
  auto res = c.read_response();
  CHECK(res.status == 503);
  CHECK(is_problem(res, 503, "unavailable"));
}
