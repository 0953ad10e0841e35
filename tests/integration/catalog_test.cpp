// The catalog as a shopper sees it, over real sockets against the real binary.

#include <catch2/catch.hpp>

#include "http_client.hpp"
#include "process.hpp"
#include "shop.hpp"
#include "storage/database.hpp"

using berry::test::berry_server;
using berry::test::get;
using berry::test::temp_dir;
using berry::test::url_encode;

namespace {

bool contains_platye(const nlohmann::json& item) {
  // "латье" matches Платье and платье alike.
  auto text = item["title"].get<std::string>() + " " +
              item["description"].get<std::string>();
  return text.find("латье") != std::string::npos;
}

} // namespace

TEST_CASE("search finds seeded products by a Cyrillic word in any case") {
  temp_dir dir;
  berry_server server{dir.path};
  auto lower = get(server.port(), "/api/v1/products?q=" + url_encode("платье"));
  REQUIRE(lower.status == 200);
  auto body = lower.json();
  REQUIRE(body["total"].get<int>() > 0);
  REQUIRE_FALSE(body["items"].empty());
  for (auto& item : body["items"])
    CHECK(contains_platye(item));
  auto upper = get(server.port(), "/api/v1/products?q=" + url_encode("ПЛАТЬЕ"));
  REQUIRE(upper.status == 200);
  CHECK(upper.json()["total"] == body["total"]);
  auto nothing =
      get(server.port(), "/api/v1/products?q=" + url_encode("звездолёт"));
  CHECK(nothing.json()["total"] == 0);
  CHECK(nothing.json()["items"].empty());
}

TEST_CASE("a product shows price in kopecks and its real stock") {
  temp_dir dir;
  berry_server server{dir.path};
  auto list = get(server.port(), "/api/v1/products?page_size=50").json();
  REQUIRE(list["items"].size() == 50);
  auto db =
      berry::storage::database::open(berry::test::store_location(dir.path),
                                     berry::storage::open_mode::read_only);
  for (auto& item : list["items"]) {
    auto id = item["id"].get<std::string>();
    auto one = get(server.port(), "/api/v1/products/" + id);
    REQUIRE(one.status == 200);
    auto p = one.json();
    CHECK(p == item);
    CHECK(p["price"]["currency"] == "RUB");
    CHECK(p["price"]["amount"].is_number_integer());
    auto st = db.prepare("SELECT COALESCE(SUM(on_hand - reserved), 0) "
                         "FROM stock WHERE product_id = ?1");
    st.bind(1, id);
    REQUIRE(st.step());
    CHECK(p["available"].get<int64_t>() == st.col_int(0));
  }
}

TEST_CASE("paging through products is stable and complete") {
  temp_dir dir;
  berry_server server{dir.path};
  auto port = server.port();
  auto all = get(port, "/api/v1/products?page_size=100&sort=price_asc").json();
  int total = all["total"];
  REQUIRE(total >= 500);
  std::vector<std::string> seen;
  for (int page = 1; page <= 4; ++page) {
    auto target = "/api/v1/products?sort=price_asc&page_size=25&page=" +
                  std::to_string(page);
    auto first = get(port, target);
    auto again = get(port, target);
    REQUIRE(first.status == 200);
    CHECK(first.body == again.body);
    auto body = first.json();
    CHECK(body["page"] == page);
    CHECK(body["page_size"] == 25);
    CHECK(body["total"] == total);
    for (auto& item : body["items"])
      seen.push_back(item["id"]);
  }
  REQUIRE(seen.size() == 100);
  for (size_t i = 0; i < seen.size(); ++i)
    CHECK(seen[i] == all["items"][i]["id"]);
  int64_t last = -1;
  for (auto& item : all["items"]) {
    CHECK(item["price"]["amount"].get<int64_t>() >= last);
    last = item["price"]["amount"];
  }
  auto beyond = get(port, "/api/v1/products?page=1000").json();
  CHECK(beyond["items"].empty());
  CHECK(beyond["total"] == total);
}

TEST_CASE("category and price filters narrow the products") {
  temp_dir dir;
  berry_server server{dir.path};
  auto port = server.port();
  auto cats = get(port, "/api/v1/categories").json()["items"];
  REQUIRE(cats.size() >= 10);
  std::string root, child;
  for (auto& c : cats)
    if (c["parent_id"].is_null() && root.empty())
      root = c["id"];
  for (auto& c : cats)
    if (c["parent_id"] == root)
      child = c["id"];
  REQUIRE_FALSE(child.empty());
  auto in_root =
      get(port, "/api/v1/products?page_size=100&category=" + root).json();
  auto in_child =
      get(port, "/api/v1/products?page_size=100&category=" + child).json();
  CHECK(in_child["total"].get<int>() > 0);
  CHECK(in_root["total"].get<int>() >= in_child["total"].get<int>());
  for (auto& item : in_child["items"])
    CHECK(item["category_id"] == child);
  auto cheap = get(port, "/api/v1/products?page_size=100&min_price=50000"
                         "&max_price=150000")
                   .json();
  REQUIRE(cheap["total"].get<int>() > 0);
  for (auto& item : cheap["items"]) {
    CHECK(item["price"]["amount"].get<int64_t>() >= 50000);
    CHECK(item["price"]["amount"].get<int64_t>() <= 150000);
  }
}

TEST_CASE("a repeated request with the ETag answers 304 without a body") {
  temp_dir dir;
  berry_server server{dir.path};
  auto port = server.port();
  std::vector<std::string> targets{"/api/v1/products/p-000001",
                                   "/api/v1/products?q=" + url_encode("чайник"),
                                   "/api/v1/categories"};
  for (auto& target : targets) {
    auto first = get(port, target);
    REQUIRE(first.status == 200);
    auto etag = first.header("etag");
    REQUIRE_FALSE(etag.empty());
    auto second = get(port, target, {{"If-None-Match", etag}});
    CHECK(second.status == 304);
    CHECK(second.body.empty());
    CHECK(second.header("etag") == etag);
    auto other = get(port, target, {{"If-None-Match", "\"stale\""}});
    CHECK(other.status == 200);
    CHECK(other.body == first.body);
  }
}

TEST_CASE("a product's body and ETag follow its stock and price at once") {
  using namespace berry::test;
  temp_dir dir;
  auto server = shop_server(dir.path);
  auto port = server.port();
  auto admin = admin_token(port);
  REQUIRE_FALSE(admin.empty());
  const std::string pid = "p-000001", target = "/api/v1/products/" + pid;
  auto first = get(port, target);
  REQUIRE(first.status == 200);
  auto first_tag = first.header("etag");
  CHECK(get(port, target).body == first.body); // the kept document now
  CHECK(get(port, target, {{"If-None-Match", first_tag}}).status == 304);

  stock_only(port, admin, pid, 4321);
  REQUIRE(eventually([&] { return available(port, pid) == 4321; }));
  auto stocked = get(port, target);
  CHECK(stocked.json()["available"] == 4321);
  CHECK(stocked.json()["price"] == first.json()["price"]);
  auto stocked_tag = stocked.header("etag");
  CHECK(stocked_tag != first_tag);
  auto stale = get(port, target, {{"If-None-Match", first_tag}});
  CHECK(stale.status == 200);
  CHECK(stale.body == stocked.body);
  CHECK(stale.header("etag") == stocked_tag);
  CHECK(get(port, target, {{"If-None-Match", stocked_tag}}).status == 304);

  auto h = bearer(admin);
  h["Content-Type"] = "application/json";
  nlohmann::json patch{{"price", {{"amount", 777700}, {"currency", "RUB"}}}};
  REQUIRE(request(port, "PATCH", target, patch.dump(), h).status == 200);
  REQUIRE(eventually(
      [&] { return get(port, target).json()["price"]["amount"] == 777700; }));
  auto priced = get(port, target);
  CHECK(priced.json()["available"] == 4321);
  CHECK(priced.header("etag") != stocked_tag);
  CHECK(get(port, target, {{"If-None-Match", stocked_tag}}).body ==
        priced.body);
  auto same = get(port, target, {{"If-None-Match", priced.header("etag")}});
  CHECK(same.status == 304);
  CHECK(same.body.empty());
}

TEST_CASE("an unknown product is a problem+json 404") {
  temp_dir dir;
  berry_server server{dir.path};
  auto res = get(server.port(), "/api/v1/products/p-nope");
  CHECK(res.status == 404);
  CHECK(res.header("content-type") == "application/problem+json");
  auto p = res.json();
  CHECK(p["status"] == 404);
  CHECK(p["type"].get<std::string>().size() > 9);
  CHECK(p["type"].get<std::string>().substr(
            p["type"].get<std::string>().size() - 9) == "not-found");
  CHECK_FALSE(p["title"].get<std::string>().empty());
}

TEST_CASE("bad query parameters are answered 400 naming the parameter") {
  temp_dir dir;
  berry_server server{dir.path};
  for (std::string q : std::vector<std::string>{
           "page=0", "page_size=1000", "min_price=-5", "max_price=abc",
           "sort=sideways", "min_price=500&max_price=100"}) {
    auto res = get(server.port(), "/api/v1/products?" + q);
    CHECK(res.status == 400);
    CHECK(res.header("content-type") == "application/problem+json");
    auto param = q.substr(0, q.find('='));
    CHECK_THAT(res.json()["detail"].get<std::string>(),
               Catch::Contains(param) || Catch::Contains("max_price"));
  }
}

TEST_CASE("a search that finds nothing suggests the close word that does") {
  temp_dir dir;
  berry_server server{dir.path};
  auto typo = get(server.port(), "/api/v1/products?q=" + url_encode("плотье"));
  REQUIRE(typo.status == 200);
  CHECK(typo.json()["total"] == 0);
  CHECK(typo.json()["suggestion"] == "платье");
  auto fixed =
      get(server.port(),
          "/api/v1/products?q=" +
              url_encode(typo.json()["suggestion"].get<std::string>()));
  CHECK(fixed.json()["total"].get<int>() > 0);
  CHECK_FALSE(fixed.json().contains("suggestion"));
  auto far =
      get(server.port(), "/api/v1/products?q=" + url_encode("звездолёт"));
  CHECK_FALSE(far.json().contains("suggestion"));
}

TEST_CASE("the category's own name finds its dresses") {
  temp_dir dir;
  berry_server server{dir.path};
  auto body =
      get(server.port(), "/api/v1/products?q=" + url_encode("платья")).json();
  REQUIRE_FALSE(body["items"].empty());
  CHECK(body["items"][0]["title"].get<std::string>().rfind("Платье", 0) == 0);
}
