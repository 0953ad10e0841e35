// The admin endpoints over real sockets against the real binary: stock
// counts, new and changed products, and who may use them.

#include <catch2/catch.hpp>

#include "shop.hpp"

using namespace berry::test;
using nlohmann::json;

namespace {

/// A JSON request with the admin's (or anyone's) token.
http_response send_json(uint16_t port, const std::string& method,
                        const std::string& target, const json& body,
                        const std::string& token) {
  auto h = bearer(token);
  h["Content-Type"] = "application/json";
  return request(port, method, target, body.dump(), h);
}

/// The warehouse ids, as admin lists them.
std::vector<std::string> warehouses(uint16_t port, const std::string& admin) {
  std::vector<std::string> out;
  auto list = get(port, "/api/v1/warehouses", bearer(admin)).json();
  for (auto& w : list["items"])
    out.push_back(w["id"]);
  return out;
}

/// The sum over warehouses of on-hand minus reserved, as admin reads it.
int64_t stock_sum(uint16_t port, const std::string& admin,
                  const std::string& pid) {
  int64_t sum = 0;
  for (auto& wid : warehouses(port, admin)) {
    auto s =
        get(port, "/api/v1/warehouses/" + wid + "/stock/" + pid, bearer(admin))
            .json();
    sum += s["on_hand"].get<int64_t>() - s["reserved"].get<int64_t>();
  }
  return sum;
}

json samovar(const std::string& category_id) {
  return {{"title", "Самовар тульский медный"},
          {"description", "На углях, 5 литров"},
          {"category_id", category_id},
          {"price", {{"amount", 1234500}, {"currency", "RUB"}}}};
}

} // namespace

TEST_CASE("stock an admin sets shows in the product's availability") {
  temp_dir dir;
  const std::string pid = "p-000001";
  std::string wid;
  {
    auto server = shop_server(dir.path);
    auto port = server.port();
    auto admin = admin_token(port);
    REQUIRE_FALSE(admin.empty());
    auto list = get(port, "/api/v1/warehouses", bearer(admin));
    REQUIRE(list.status == 200);
    REQUIRE(list.json()["items"].size() >= 2);
    auto first = list.json()["items"][0];
    CHECK(first["location"]["lat"].is_number());
    CHECK(first["name"].is_string());
    wid = first["id"];
    auto put =
        send_json(port, "PUT", "/api/v1/warehouses/" + wid + "/stock/" + pid,
                  {{"on_hand", 7}}, admin);
    REQUIRE(put.status == 200);
    CHECK(put.json() == json{{"warehouse_id", wid},
                             {"product_id", pid},
                             {"on_hand", 7},
                             {"reserved", 0}});
    auto sum = stock_sum(port, admin, pid);
    CHECK(eventually([&] { return available(port, pid) == sum; }));

    REQUIRE(server.stop() == 0);
  }
  // A restart shows the count that was acknowledged.
  auto server = shop_server(dir.path);
  auto admin = admin_token(server.port());
  auto again = get(server.port(), "/api/v1/warehouses/" + wid + "/stock/" + pid,
                   bearer(admin));
  REQUIRE(again.status == 200);
  CHECK(again.json()["on_hand"] == 7);
}

TEST_CASE("only an admin may use the admin endpoints") {
  temp_dir dir;
  auto server = shop_server(dir.path);
  auto port = server.port();
  auto customer = register_customer(port, "buyer@berry.test");
  REQUIRE_FALSE(customer.empty());
  auto stock = "/api/v1/warehouses/w-001/stock/p-000001";
  CHECK(get(port, "/api/v1/warehouses", bearer(customer)).status == 403);
  CHECK(get(port, stock, bearer(customer)).status == 403);
  auto put = send_json(port, "PUT", stock, {{"on_hand", 1}}, customer);
  CHECK(put.status == 403);
  CHECK(put.header("content-type") == "application/problem+json");
  CHECK(send_json(port, "POST", "/api/v1/products", samovar("c-01"), customer)
            .status == 403);
  CHECK(send_json(port, "PATCH", "/api/v1/products/p-000001",
                  {{"title", "Чужой"}}, customer)
            .status == 403);
  CHECK(get(port, "/api/v1/warehouses").status == 401);
  CHECK(request(port, "PUT", stock, R"({"on_hand": 1})").status == 401);
  CHECK(request(port, "POST", "/api/v1/products", samovar("c").dump()).status ==
        401);
  CHECK(get(port, "/api/v1/warehouses", bearer("forged.token")).status == 401);
}

TEST_CASE("an admin's new product is found, searched and repriced") {
  temp_dir dir;
  auto server = shop_server(dir.path);
  auto port = server.port();
  auto admin = admin_token(port);
  auto category = get(port, "/api/v1/categories")
                      .json()["items"][0]["id"]
                      .get<std::string>();
  auto made =
      send_json(port, "POST", "/api/v1/products", samovar(category), admin);
  REQUIRE(made.status == 201);
  auto id = made.json()["id"].get<std::string>();
  CHECK(made.header("location") == "/api/v1/products/" + id);
  CHECK(made.json()["price"] == json{{"amount", 1234500}, {"currency", "RUB"}});
  CHECK(made.json()["available"] == 0);
  auto shown = get(port, "/api/v1/products/" + id);
  REQUIRE(shown.status == 200);
  CHECK(shown.json()["title"] == "Самовар тульский медный");
  auto found = get(port, "/api/v1/products?q=" + url_encode("самовар")).json();
  bool listed = false;
  for (auto& item : found["items"])
    listed = listed || item["id"] == id;
  CHECK(listed);
  auto patched =
      send_json(port, "PATCH", "/api/v1/products/" + id,
                {{"price", {{"amount", 999900}, {"currency", "RUB"}}}}, admin);
  REQUIRE(patched.status == 200);
  CHECK(patched.json()["title"] == "Самовар тульский медный");
  auto now = get(port, "/api/v1/products/" + id).json();
  CHECK(now["price"]["amount"] == 999900);
  CHECK(now["category_id"] == category);
  CHECK(send_json(port, "PATCH", "/api/v1/products/p-999999",
                  {{"title", "Нет"}}, admin)
            .status == 404);
}

TEST_CASE("a misspelling's suggestion follows the products an admin adds") {
  temp_dir dir;
  auto server = shop_server(dir.path);
  auto port = server.port();
  auto admin = admin_token(port);
  auto typo = "/api/v1/products?q=" + url_encode("самовор");
  // Nothing near it yet, asked twice: the second answer is the one kept.
  for (int i = 0; i < 2; ++i) {
    auto none = get(port, typo);
    REQUIRE(none.status == 200);
    CHECK(none.json()["total"] == 0);
    CHECK_FALSE(none.json().contains("suggestion"));
  }
  auto category = get(port, "/api/v1/categories")
                      .json()["items"][0]["id"]
                      .get<std::string>();
  REQUIRE(send_json(port, "POST", "/api/v1/products", samovar(category), admin)
              .status == 201);
  // The new product's word is one letter away: suggested now, and again.
  for (int i = 0; i < 2; ++i) {
    auto near = get(port, typo).json();
    CHECK(near["total"] == 0);
    CHECK(near["suggestion"] == "самовар");
  }
}

TEST_CASE("admin input that makes no sense is refused") {
  temp_dir dir;
  auto server = shop_server(dir.path);
  auto port = server.port();
  auto admin = admin_token(port);
  auto wid = warehouses(port, admin).at(0);
  auto stock = "/api/v1/warehouses/" + wid + "/stock/p-000001";
  for (auto bad :
       {json{{"on_hand", -1}}, json{{"on_hand", "7"}}, json{{"on_hand", 1.5}},
        json::object(), json{{"on_hand", 10'000'001}},
        json{{"on_hand", 99'999'999'999}}}) {
    auto res = send_json(port, "PUT", stock, bad, admin);
    CHECK(res.status == 422);
    CHECK(res.json()["type"].get<std::string>().find("validation") !=
          std::string::npos);
  }
  // The most API.md allows is taken as it is.
  auto most = send_json(port, "PUT", stock, {{"on_hand", 10'000'000}}, admin);
  CHECK(most.status == 200);
  CHECK(most.json()["on_hand"] == 10'000'000);
  CHECK(send_json(port, "PUT", "/api/v1/warehouses/w-nowhere/stock/p-000001",
                  {{"on_hand", 1}}, admin)
            .status == 404);
  CHECK(get(port, "/api/v1/warehouses/w-nowhere/stock/p-000001", bearer(admin))
            .status == 404);
  CHECK(
      get(port, "/api/v1/warehouses/" + wid + "/stock/p-nothing", bearer(admin))
          .status == 404);
  auto category = get(port, "/api/v1/categories")
                      .json()["items"][0]["id"]
                      .get<std::string>();
  auto with = [&](const char* key, json value) {
    auto body = samovar(category);
    body[key] = std::move(value);
    return send_json(port, "POST", "/api/v1/products", body, admin).status;
  };
  CHECK(with("title", "") == 422);
  CHECK(with("title", std::string(201, 'x')) == 422);
  CHECK(with("category_id", "c-nowhere") == 422);
  CHECK(with("price", {{"amount", -1}, {"currency", "RUB"}}) == 422);
  CHECK(with("price", {{"amount", 10.5}, {"currency", "RUB"}}) == 422);
  CHECK(with("price", {{"amount", 100}, {"currency", "USD"}}) == 422);
  CHECK(with("price", 100) == 422);
}
