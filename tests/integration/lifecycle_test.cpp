// Starting, probing, stopping and restarting the real binary.

#include <csignal>
#include <filesystem>

#include <catch2/catch.hpp>

#include "http_client.hpp"
#include "process.hpp"

using berry::test::berry_server;
using berry::test::child_process;
using berry::test::get;
using berry::test::temp_dir;

TEST_CASE("a started server is healthy, ready and exports metrics") {
  temp_dir dir;
  berry_server server{dir.path};
  auto port = server.port();
  CHECK(get(port, "/healthz").status == 200);
  CHECK(get(port, "/readyz").status == 200);
  get(port, "/api/v1/products?page_size=3");
  auto metrics = get(port, "/metrics");
  REQUIRE(metrics.status == 200);
  CHECK_THAT(metrics.header("content-type"), Catch::StartsWith("text/plain"));
  CHECK_THAT(metrics.body, Catch::Contains("berry_http_requests_total{"));
  CHECK_THAT(metrics.body, Catch::Contains("route=\"/api/v1/products\""));
  CHECK_THAT(metrics.body,
             Catch::Contains("berry_http_request_duration_seconds_bucket"));
  CHECK_THAT(metrics.body, Catch::Contains("berry_journal_commits_total"));
}

TEST_CASE(
    "SIGTERM stops the server with exit code 0 and a restart keeps the data") {
  temp_dir dir;
  nlohmann::json product;
  int total = 0;
  {
    berry_server first{dir.path};
    product = get(first.port(), "/api/v1/products/p-000042").json();
    total = get(first.port(), "/api/v1/products").json()["total"];
    CHECK(first.stop() == 0);
  }
  REQUIRE(std::filesystem::exists(dir.path + "/berry.db"));
  berry_server second{dir.path};
  auto again = get(second.port(), "/api/v1/products/p-000042");
  REQUIRE(again.status == 200);
  CHECK(again.json() == product);
  // Seeded once: a second start adds nothing.
  CHECK(get(second.port(), "/api/v1/products").json()["total"] == total);
  CHECK(second.stop() == 0);
}

TEST_CASE("SIGINT stops the server with exit code 0") {
  temp_dir dir;
  berry_server server{dir.path, {"--no-seed"}};
  server.process().signal(SIGINT);
  CHECK(server.process().wait() == 0);
}

TEST_CASE("a server started with --no-seed has an empty catalog") {
  temp_dir dir;
  berry_server server{dir.path, {"--no-seed"}};
  auto body = get(server.port(), "/api/v1/products").json();
  CHECK(body["total"] == 0);
  CHECK(body["items"].empty());
}

TEST_CASE("berry serve --help lists the flags of the contract") {
  child_process help{{BERRY_BINARY, "serve", "--help"}};
  auto text = help.read_all();
  CHECK(help.wait() == 0);
  for (auto flag : {"--host", "--port", "--data", "--no-seed", "--time-scale"})
    CHECK_THAT(text, Catch::Contains(flag));
}

TEST_CASE("a bad flag stops berry with a message and exit code 2") {
  child_process bad{{BERRY_BINARY, "serve", "--port", "nine"}};
  CHECK(bad.read_all(10000).empty());
  CHECK(bad.wait() == 2);
}
