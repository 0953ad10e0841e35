// What the edge shows and to whom, over real sockets against the real
// binary: security headers, caching of private answers, WebSocket origins,
// /metrics, the storefront's non-asset files, ?access_token, the open-file
// limit and the bounded search queue.

#include <csignal>
#include <memory>

#include <catch2/catch.hpp>

#include "shop.hpp"
#include "ws_client.hpp"

using namespace berry::test;

namespace {

bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

void check_security_headers(const http_response& res) {
  INFO("status " << res.status);
  CHECK(res.header("x-content-type-options") == "nosniff");
  CHECK(has(res.header("content-security-policy"), "frame-ancestors 'none'"));
  CHECK(has(res.header("content-security-policy"), "default-src 'self'"));
  CHECK(res.header("referrer-policy") == "no-referrer");
}

std::map<std::string, std::string> json_headers(const std::string& token = {}) {
  std::map<std::string, std::string> h{{"Content-Type", "application/json"}};
  if (!token.empty())
    h["Authorization"] = "Bearer " + token;
  return h;
}

/// The tracking socket's target of a new paid order of a new customer's,
/// with the token in the query.
std::string track_target(uint16_t port) {
  auto token = register_customer(port, "ann@berry.test");
  auto res =
      checkout(port, token, "k1", checkout_body({{"p-000120", 1}}, "tok_ok"));
  REQUIRE(res.status == 201);
  return "/api/v1/orders/" + res.json()["id"].get<std::string>() +
         "/track?access_token=" + token;
}

} // namespace

TEST_CASE("every answer carries the security headers") {
  temp_dir dir;
  auto server = shop_server(dir.path);
  auto port = server.port();
  check_security_headers(get(port, "/healthz"));
  check_security_headers(get(port, "/"));
  check_security_headers(get(port, "/api/v1/nothing"));
  check_security_headers(get(port, "/api/v1/cart"));
  check_security_headers(request(port, "DELETE", "/healthz"));
  // The storefront's import map is an inline script: the policy allows
  // exactly it, by hash, and no other inline script.
  auto csp = get(port, "/").header("content-security-policy");
  CHECK(has(csp, "script-src 'self' 'sha256-"));
  CHECK_FALSE(has(csp, "unsafe-inline"));
}

TEST_CASE("answers with a token, and to credentials, are never stored") {
  temp_dir dir;
  auto server = shop_server(dir.path);
  auto port = server.port();
  nlohmann::json who{{"email", "ann@berry.test"},
                     {"password", "password-123"},
                     {"name", "Ann"}};
  auto reg = request(port, "POST", "/api/v1/auth/register", who.dump(),
                     json_headers());
  REQUIRE(reg.status == 201);
  CHECK(reg.header("cache-control") == "no-store");
  who.erase("name");
  auto login =
      request(port, "POST", "/api/v1/auth/login", who.dump(), json_headers());
  CHECK(login.header("cache-control") == "no-store");
  auto token = login.json()["token"].get<std::string>();
  CHECK(get(port, "/api/v1/cart", bearer(token)).header("cache-control") ==
        "no-store");
  CHECK(get(port, "/api/v1/orders", bearer(token)).header("cache-control") ==
        "no-store");
  // A public answer keeps its own caching.
  CHECK(get(port, "/api/v1/categories").header("cache-control") == "no-cache");
}

TEST_CASE("a tracking socket from a foreign origin is refused") {
  temp_dir dir;
  auto server = shop_server(dir.path);
  auto port = server.port();
  auto target = track_target(port);
  CHECK(upgrade_request(port, target, {{"Origin", "https://evil.example"}})
            .status == 403);
  // A browser names the server as it reached it, port and all.
  auto host = "127.0.0.1:" + std::to_string(port);
  CHECK(upgrade_request(port, target,
                        {{"Origin", "http://" + host}, {"Host", host}})
            .status == 101);
  CHECK(upgrade_request(port, target,
                        {{"Origin", "http://" + host + "0"}, {"Host", host}})
            .status == 403);
  // A command-line client sends no Origin at all.
  CHECK(upgrade_request(port, target).status == 101);
}

TEST_CASE("a tracking socket may come from the origins of --allowed-origins") {
  temp_dir dir;
  auto server =
      shop_server(dir.path, {"--allowed-origins", "https://shop.example"});
  auto port = server.port();
  auto target = track_target(port);
  CHECK(upgrade_request(port, target, {{"Origin", "https://shop.example"}})
            .status == 101);
  CHECK(
      upgrade_request(port, target,
                      {{"Origin", "http://127.0.0.1:" + std::to_string(port)}})
          .status == 403);
}

TEST_CASE("/metrics is for loopback by default, and for --metrics-allow") {
  temp_dir dir;
  {
    auto server = shop_server(dir.path);
    CHECK(get(server.port(), "/metrics").status == 200);
  }
  auto server = shop_server(dir.path, {"--metrics-allow", "127.0.0.2/32"});
  auto port = server.port();
  http_connection allowed{port, "127.0.0.2"};
  REQUIRE(allowed.send("GET", "/metrics"));
  CHECK(allowed.read_response().status == 200);
  http_connection other{port, "127.0.0.3"};
  REQUIRE(other.send("GET", "/metrics"));
  auto refused = other.read_response();
  CHECK(refused.status == 403);
  CHECK_FALSE(has(refused.body, "berry_http_requests_total"));
  // An admin's token opens it from anywhere (the storefront's dashboard).
  auto admin = get(port, "/metrics", bearer(admin_token(port)));
  CHECK(admin.status == 200);
  CHECK(has(admin.body, "berry_http_requests_total"));
}

TEST_CASE("the storefront serves its assets and nothing else") {
  temp_dir dir;
  berry_server server{dir.path, {"--no-seed"}};
  auto port = server.port();
  CHECK(get(port, "/README.md").status == 404);
  CHECK(get(port, "/vendor/LICENSE-htm").status == 404);
  CHECK(get(port, "/vendor/README.md").status == 404);
  CHECK(get(port, "/css/app.css").status == 200);
  CHECK(get(port, "/js/app.js").status == 200);
  CHECK(get(port, "/").status == 200);
}

TEST_CASE("?access_token= is taken on the tracking socket only") {
  temp_dir dir;
  auto server = shop_server(dir.path);
  auto port = server.port();
  auto target = track_target(port);
  auto token = target.substr(target.find("access_token=") + 13);
  CHECK(get(port, "/api/v1/cart?access_token=" + token).status == 401);
  CHECK(get(port, "/api/v1/orders?access_token=" + token).status == 401);
  CHECK(get(port, "/api/v1/cart", bearer(token)).status == 200);
  CHECK(upgrade_request(port, target).status == 101);
}

TEST_CASE("under a low open-file limit, connections over it get 503, "
          "not a hang") {
  temp_dir dir;
  // A hard limit of 256 cannot be raised: the server caps its connections.
  child_process proc{{"/bin/sh", "-c",
                      "ulimit -n 256 && exec \"$0\" serve --port 0 --data "
                      "\"$1\" --no-seed --log-level warn",
                      BERRY_BINARY, dir.path}};
  uint16_t port = 0;
  while (port == 0) {
    auto line = proc.read_line();
    REQUIRE_FALSE(line.empty());
    if (line.find("listening on http://") != std::string::npos)
      port = static_cast<uint16_t>(std::stoi(line.substr(line.rfind(':') + 1)));
  }
  REQUIRE(port != 0);
  std::vector<std::unique_ptr<http_connection>> open;
  int ok = 0, refused = 0;
  for (int i = 0; i < 250; ++i) {
    open.push_back(std::make_unique<http_connection>(port));
    REQUIRE(open.back()->send("GET", "/healthz"));
    auto status = open.back()->read_response(false, 5000).status;
    ok += status == 200;
    refused += status == 503;
  }
  CHECK(ok + refused == 250);
  CHECK(refused > 0);
  CHECK(ok >= 100);
  // Once the clients hang up, the server frees their slots as it notices
  // each close: a new connection is served again.
  open.clear();
  CHECK(eventually([&] { return get(port, "/healthz").status == 200; }));
  proc.signal(SIGTERM);
  CHECK(proc.wait() == 0);
}

TEST_CASE("listings by sales over the read queue are answered 503 with "
          "Retry-After") {
  temp_dir dir;
  // One read thread: 64 listings ordered by sales (which read the database;
  // a plain search runs in memory) may wait for it.
  berry_server server{dir.path,
                      {"--read-threads", "1", "--rate-limits", "off"}};
  auto port = server.port();
  std::vector<std::unique_ptr<http_connection>> clients;
  for (int i = 0; i < 300; ++i)
    clients.push_back(std::make_unique<http_connection>(port));
  // All at once: one listing runs, 64 wait, the rest are turned away.
  for (int i = 0; i < 300; ++i)
    REQUIRE(clients[i]->send(
        "GET", "/api/v1/products?q=" + url_encode("платье") +
                   "&sort=popular&page=" + std::to_string(1 + i % 3)));
  int ok = 0, busy = 0;
  for (auto& c : clients) {
    auto res = c->read_response();
    ok += res.status == 200;
    if (res.status == 503 && res.header("retry-after") == "1")
      ++busy;
  }
  CHECK(ok + busy == 300);
  CHECK(ok >= 1);
  CHECK(busy >= 1);
}
