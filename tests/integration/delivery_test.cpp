// Delivery through the real server at a high time scale: a paid order is
// packed, carried and delivered; the admin sees and directs the couriers; a
// kill -9 in the middle of a ride loses nothing.

#include <set>

#include <catch2/catch.hpp>

#include "shop.hpp"

using namespace berry::test;

namespace {

const std::string product = "p-000120";

std::vector<std::string> statuses(const nlohmann::json& order) {
  std::vector<std::string> out;
  for (auto& h : order["history"])
    out.push_back(h["status"]);
  return out;
}

nlohmann::json order_of(uint16_t port, const std::string& token,
                        const std::string& id) {
  return get(port, "/api/v1/orders/" + id, bearer(token)).json();
}

bool reaches(uint16_t port, const std::string& token, const std::string& id,
             const std::string& status, int timeout_ms = 30000) {
  return eventually(
      [&] { return order_of(port, token, id)["status"] == status; },
      timeout_ms);
}

const std::vector<std::string> full_history{
    "pending",          "reserved",  "paid",     "packed",
    "courier_assigned", "picked_up", "delivered"};

} // namespace

TEST_CASE("a paid order is delivered to the address, then can be returned") {
  temp_dir dir;
  auto server = shop_server(dir.path, {"--time-scale", "3000"});
  auto port = server.port();
  auto token = register_customer(port, "rider@berry.test");
  auto before = available(port, product);
  auto res =
      checkout(port, token, "d-1", checkout_body({{product, 1}}, "tok_ok"));
  REQUIRE(res.status == 201);
  auto id = res.json()["id"].get<std::string>();
  // The order names the warehouse its parcel comes from.
  REQUIRE(res.json()["warehouses"].size() == 1);
  CHECK(res.json()["warehouses"][0]["id"] ==
        res.json()["lines"][0]["warehouse_id"]);

  REQUIRE(reaches(port, token, id, "delivered"));
  auto done = order_of(port, token, id);
  CHECK(statuses(done) == full_history);
  CHECK(done["courier"]["id"].get<std::string>().rfind("k-", 0) == 0);
  CHECK(done["courier"]["location"]["lat"] == done["address"]["lat"]);
  CHECK(done["courier"]["location"]["lon"] == done["address"]["lon"]);
  CHECK_FALSE(done.contains("eta_s"));
  // Delivered: too late to cancel; a return refunds and restocks.
  auto h = bearer(token);
  CHECK(
      request(port, "POST", "/api/v1/orders/" + id + "/cancel", "", h).status ==
      409);
  // A 503 (the order's actor is restarting) asks the client to try again.
  http_response ret;
  REQUIRE(eventually([&] {
    ret = request(port, "POST", "/api/v1/orders/" + id + "/return", "", h);
    return ret.status != 503;
  }));
  REQUIRE(ret.status == 200);
  CHECK(ret.json()["status"] == "returned");
  CHECK(ret.json()["payment"]["status"] == "refunded");
  CHECK(eventually([&] { return available(port, product) == before; }));
  // The order actor ends just after it answers; the manager counts it
  // closed once it is gone, a moment later.
  auto metric = [&](const char* line) {
    return get(port, "/metrics").body.find(line) != std::string::npos;
  };
  CHECK(metric("berry_orders_created_total 1"));
  CHECK(eventually([&] { return metric("berry_orders_open 0"); }));
}

TEST_CASE("an admin sees every courier and can take one off duty") {
  temp_dir dir;
  auto server = shop_server(dir.path);
  auto port = server.port();
  auto admin = admin_token(port);
  auto customer = register_customer(port, "curious@berry.test");
  CHECK(get(port, "/api/v1/couriers").status == 401);
  CHECK(get(port, "/api/v1/couriers", bearer(customer)).status == 403);
  auto list = get(port, "/api/v1/couriers", bearer(admin));
  REQUIRE(list.status == 200);
  auto body = list.json();
  CHECK(body["items"].size() == 40);
  std::set<std::string> ids;
  for (auto& c : body["items"]) {
    ids.insert(c["id"]);
    CHECK(c["status"] == "idle");
    CHECK(c["location"]["lat"].get<double>() > 55.5);
  }
  CHECK(ids.size() == 40);
  auto first = body["items"][0]["id"].get<std::string>();
  auto h = bearer(admin);
  h["Content-Type"] = "application/json";
  auto off = request(port, "PUT", "/api/v1/couriers/" + first,
                     R"({"online": false})", h);
  REQUIRE(off.status == 200);
  CHECK(off.json()["status"] == "offline");
  CHECK(get(port, "/api/v1/couriers", bearer(admin))
            .json()["items"][0]["status"] == "offline");
  CHECK(request(port, "PUT", "/api/v1/couriers/" + first, R"({"online": 1})", h)
            .status == 422);
  CHECK(request(port, "PUT", "/api/v1/couriers/k-999", R"({"online": true})", h)
            .status == 404);
  auto on = request(port, "PUT", "/api/v1/couriers/" + first,
                    R"({"online": true})", h);
  CHECK(on.json()["status"] == "idle");
}

TEST_CASE("a kill -9 in the middle of a ride: after the restart the same "
          "courier rides on and delivers") {
  temp_dir dir;
  std::string token, id, courier;
  {
    // Slow enough to catch the courier between the warehouse and the door.
    auto server = shop_server(dir.path, {"--time-scale", "400"});
    auto port = server.port();
    token = register_customer(port, "restart@berry.test");
    auto res =
        checkout(port, token, "d-1", checkout_body({{product, 1}}, "tok_ok"));
    REQUIRE(res.status == 201);
    id = res.json()["id"].get<std::string>();
    REQUIRE(reaches(port, token, id, "picked_up", 60000));
    courier = order_of(port, token, id)["courier"]["id"];
    server.kill9();
  }
  auto server = shop_server(dir.path, {"--time-scale", "3000"});
  auto port = server.port();
  REQUIRE(reaches(port, token, id, "delivered"));
  auto done = order_of(port, token, id);
  CHECK(statuses(done) == full_history);
  CHECK(done["courier"]["id"] == courier);
  CHECK(done["payment"]["status"] == "captured");
}
