// A stock change over real sockets: the changed product answers with a new
// ETag at once, every other product keeps its ETag (the edge re-renders only
// what changed).

#include <catch2/catch.hpp>

#include "shop.hpp"

using namespace berry::test;

TEST_CASE("a stock change gives its product a new ETag and leaves the "
          "others' alone") {
  temp_dir dir;
  auto server = shop_server(dir.path);
  auto port = server.port();
  auto etag = [&](const std::string& pid) {
    return get(port, "/api/v1/products/" + pid).header("etag");
  };
  const std::vector<std::string> others{"p-000002", "p-000100", "p-000816"};
  std::vector<std::string> before;
  for (auto& pid : others)
    before.push_back(etag(pid));
  auto changed = etag("p-000001");
  REQUIRE_FALSE(changed.empty());
  auto admin = admin_token(port);
  stock_only(port, admin, "p-000001", 4321);
  CHECK(eventually([&] { return etag("p-000001") != changed; }));
  for (size_t i = 0; i < others.size(); ++i)
    CHECK(etag(others[i]) == before[i]);
  REQUIRE(server.stop() == 0);
}
