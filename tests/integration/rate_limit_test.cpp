// Rate limits at the edge, over real sockets against the real binary. Each
// loopback source address (127.0.0.2, 127.0.0.3, ...) is another client.

#include <chrono>
#include <fstream>
#include <memory>

#include <catch2/catch.hpp>

#include "shop.hpp"

using namespace berry::test;

namespace {

/// Sends `n` requests on one keep-alive connection from `source`; returns
/// the answers.
std::vector<http_response>
send_n(uint16_t port, const std::string& source, int n,
       const std::string& method, const std::string& target,
       const std::map<std::string, std::string>& headers = {},
       const std::string& body = {}) {
  http_connection c{port, source};
  std::vector<http_response> out;
  for (int i = 0; i < n; ++i) {
    REQUIRE(c.send(method, target, body, headers));
    out.push_back(c.read_response());
  }
  return out;
}

int status_of(uint16_t port, const std::string& source,
              const std::string& target,
              const std::map<std::string, std::string>& headers = {}) {
  return send_n(port, source, 1, "GET", target, headers).front().status;
}

bool is_rate_limited(const http_response& res) {
  if (res.status != 429 ||
      res.header("content-type") != "application/problem+json")
    return false;
  auto type = res.json().value("type", std::string{});
  return type.size() > 12 &&
         type.compare(type.size() - 12, 12, "rate-limited") == 0 &&
         std::stoi(res.header("retry-after")) >= 1;
}

/// The server's resident memory in KiB.
long rss_kib(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string key;
  long value = 0;
  while (in >> key)
    if (key == "VmRSS:" && in >> value)
      return value;
  return -1;
}

} // namespace

TEST_CASE("an address over its rate gets 429 rate-limited, another does not") {
  temp_dir dir;
  berry_server server{dir.path, {"--no-seed", "--rate-per-address", "1/min:5"}};
  auto answers = send_n(server.port(), "127.0.0.2", 6, "GET", "/healthz");
  for (int i = 0; i < 5; ++i)
    CHECK(answers[i].status == 200);
  CHECK(is_rate_limited(answers[5]));
  CHECK(std::stoi(answers[5].header("retry-after")) > 1);
  CHECK(status_of(server.port(), "127.0.0.3", "/healthz") == 200);
}

TEST_CASE("sign-ins are limited tighter than other requests") {
  temp_dir dir;
  berry_server server{dir.path, {"--no-seed", "--rate-auth", "1/min:3"}};
  auto port = server.port();
  auto answers = send_n(port, "127.0.0.2", 4, "POST", "/api/v1/auth/register",
                        {{"Content-Type", "application/json"}}, "{}");
  for (int i = 0; i < 3; ++i)
    CHECK(answers[i].status == 422);
  CHECK(is_rate_limited(answers[3]));
  // The same address still reads the catalog, another still registers.
  CHECK(status_of(port, "127.0.0.2", "/api/v1/categories") == 200);
  CHECK(send_n(port, "127.0.0.3", 1, "POST", "/api/v1/auth/register",
               {{"Content-Type", "application/json"}}, "{}")
            .front()
            .status == 422);
}

TEST_CASE("checkouts and cart writes are limited per user") {
  temp_dir dir;
  auto server = shop_server(dir.path, {"--rate-checkout", "1/min:2",
                                       "--rate-user-writes", "1/min:3"});
  auto port = server.port();
  auto ann = register_customer(port, "ann@berry.test");
  auto bob = register_customer(port, "bob@berry.test");
  auto h = bearer(ann);
  h["Content-Type"] = "application/json";
  h["Idempotency-Key"] = "k1";
  auto outs = send_n(port, "127.0.0.2", 3, "POST", "/api/v1/checkout", h, "{}");
  CHECK(outs[0].status == 422);
  CHECK(outs[1].status == 422);
  CHECK(is_rate_limited(outs[2]));
  // Bob, from the same address, is not Ann.
  auto hb = bearer(bob);
  hb["Content-Type"] = "application/json";
  hb["Idempotency-Key"] = "k1";
  CHECK(send_n(port, "127.0.0.2", 1, "POST", "/api/v1/checkout", hb, "{}")
            .front()
            .status == 422);
  // Ann's cart writes have their own bucket, from any address.
  auto writes = send_n(port, "127.0.0.3", 4, "PUT",
                       "/api/v1/cart/lines/p-000120", h, R"({"qty": 1})");
  for (int i = 0; i < 3; ++i)
    CHECK(writes[i].status == 200);
  CHECK(is_rate_limited(writes[3]));
  // Reading is not a write.
  CHECK(status_of(port, "127.0.0.3", "/api/v1/cart", bearer(ann)) == 200);
}

TEST_CASE("X-Forwarded-For names the client only behind a trusted proxy") {
  temp_dir dir;
  berry_server server{dir.path,
                      {"--no-seed", "--rate-per-address", "1/min:2",
                       "--trusted-proxies", "127.0.0.2/32"}};
  auto port = server.port();
  auto via = [](const char* client) {
    return std::map<std::string, std::string>{{"X-Forwarded-For", client}};
  };
  // The proxy's clients each have their own bucket.
  auto one = send_n(port, "127.0.0.2", 3, "GET", "/healthz", via("9.9.9.1"));
  CHECK(one[1].status == 200);
  CHECK(is_rate_limited(one[2]));
  CHECK(status_of(port, "127.0.0.2", "/healthz", via("9.9.9.2")) == 200);
  // Anyone else's X-Forwarded-For is ignored: it cannot buy a fresh bucket.
  auto other = send_n(port, "127.0.0.3", 3, "GET", "/healthz", via("9.9.9.3"));
  CHECK(is_rate_limited(other[2]));
  CHECK(status_of(port, "127.0.0.3", "/healthz", via("9.9.9.4")) == 429);
}

TEST_CASE("with --rate-limits off everything goes through") {
  temp_dir dir;
  berry_server server{
      dir.path,
      {"--no-seed", "--rate-per-address", "1/min:1", "--rate-limits", "off"}};
  for (auto& res : send_n(server.port(), "127.0.0.2", 50, "GET", "/healthz"))
    CHECK(res.status == 200);
}

TEST_CASE("a flood from ever new addresses leaves the server's memory flat") {
  temp_dir dir;
  // Every request names another client through the trusted proxy (us).
  berry_server server{dir.path,
                      {"--no-seed", "--log-level", "warn", "--trusted-proxies",
                       "127.0.0.0/8", "--rate-table-size", "1000"}};
  auto port = server.port();
  int next = 0;
  auto flood = [&](int requests) {
    int served = 0;
    http_connection c{port};
    constexpr int batch = 200;
    for (int sent = 0; sent < requests; sent += batch) {
      std::string raw;
      for (int i = 0; i < batch; ++i, ++next)
        raw += "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: 10." +
               std::to_string(next >> 16 & 255) + "." +
               std::to_string(next >> 8 & 255) + "." +
               std::to_string(next & 255) + "\r\n\r\n";
      REQUIRE(c.send_raw(raw));
      for (int i = 0; i < batch; ++i)
        served += c.read_response().status == 200;
    }
    REQUIRE(served == requests);
  };
  auto started = std::chrono::steady_clock::now();
  flood(10000); // the table is full and the allocator warm
  auto before = rss_kib(server.process().pid());
  flood(50000);
  auto after = rss_kib(server.process().pid());
  auto took = std::chrono::steady_clock::now() - started;
  INFO("RSS " << before << " KiB -> " << after << " KiB");
  // 50,000 more keys kept would be about 8 MB (measured with the table
  // made large enough to keep them all).
  CHECK(after - before < 3 * 1024);
  CHECK(took < std::chrono::seconds(60));
}

namespace {

/// A WebSocket upgrade of `target` from `source`, left open while the
/// connection lives (the frames the server sends stay unread).
struct open_socket {
  std::unique_ptr<http_connection> c;
  int status = 0;
};

open_socket upgrade_from(uint16_t port, const std::string& source,
                         const std::string& target) {
  open_socket s{std::make_unique<http_connection>(port, source)};
  s.c->send("GET", target, {},
            {{"Connection", "Upgrade"},
             {"Upgrade", "websocket"},
             {"Sec-WebSocket-Version", "13"},
             {"Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="}});
  s.status = s.c->read_response().status;
  return s;
}

/// A customer with one paid order: the track target with its token.
std::string paid_track_target(uint16_t port, const std::string& email) {
  auto token = register_customer(port, email);
  auto res = checkout(port, token, "k-" + email,
                      checkout_body({{"p-000120", 1}}, "tok_ok"));
  REQUIRE(res.status == 201);
  return "/api/v1/orders/" + res.json()["id"].get<std::string>() +
         "/track?access_token=" + token;
}

} // namespace

TEST_CASE("a user may hold only so many tracking sockets open") {
  temp_dir dir;
  auto server = shop_server(dir.path, {"--ws-per-user", "2"});
  auto port = server.port();
  auto target = paid_track_target(port, "ann@berry.test");
  std::vector<open_socket> open;
  open.push_back(upgrade_from(port, "127.0.0.2", target));
  open.push_back(upgrade_from(port, "127.0.0.3", target));
  CHECK(open[0].status == 101);
  CHECK(open[1].status == 101);
  CHECK(upgrade_from(port, "127.0.0.4", target).status == 429);
  // One closed: its place is free again once the server has seen it go.
  open.pop_back();
  CHECK(eventually(
      [&] { return upgrade_from(port, "127.0.0.4", target).status == 101; }));
}

TEST_CASE("an address may hold only so many tracking sockets open") {
  temp_dir dir;
  auto server = shop_server(dir.path, {"--ws-per-address", "2"});
  auto port = server.port();
  auto ann = paid_track_target(port, "ann@berry.test");
  auto bob = paid_track_target(port, "bob@berry.test");
  auto a1 = upgrade_from(port, "127.0.0.2", ann);
  auto a2 = upgrade_from(port, "127.0.0.2", ann);
  CHECK(a1.status == 101);
  CHECK(a2.status == 101);
  CHECK(upgrade_from(port, "127.0.0.2", bob).status == 429);
  CHECK(upgrade_from(port, "127.0.0.3", bob).status == 101);
}
