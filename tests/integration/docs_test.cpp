// The API description and its docs page, from the real server.

#include <fstream>
#include <sstream>

#include <catch2/catch.hpp>

#include "shop.hpp"

using namespace berry::test;

TEST_CASE("the server serves its OpenAPI document and a docs page") {
  temp_dir dir;
  auto server = shop_server(dir.path);
  auto port = server.port();
  auto res = get(port, "/api/openapi.json");
  REQUIRE(res.status == 200);
  CHECK(res.header("content-type").rfind("application/json", 0) == 0);
  std::ifstream in{std::string{BERRY_SOURCE_DIR} + "/http/openapi.json"};
  std::stringstream file;
  file << in.rdbuf();
  CHECK(res.json() == nlohmann::json::parse(file.str()));
  CHECK(get(port, "/api/openapi.json", {{"If-None-Match", res.header("etag")}})
            .status == 304);
  for (auto path : {"/docs", "/docs/"}) {
    auto page = get(port, path);
    CHECK(page.status == 200);
    CHECK(page.header("content-type").rfind("text/html", 0) == 0);
    CHECK(page.body.find("<title>Berry API</title>") != std::string::npos);
  }
  CHECK(get(port, "/docs/docs.js").status == 200);
}
