// The OpenAPI document against the real route table and the real JSON: every
// route is described and every described operation is routed; every $ref
// resolves; an order rendered by the edge has only documented fields.

#include <set>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "http/openapi.hpp"
#include "http/routes.hpp"
#include "http/routes_orders.hpp"

using namespace berry;
using namespace berry::http;
using json = nlohmann::json;

namespace {

json spec() {
  return json::parse(openapi_json());
}

std::string lower(std::string s) {
  for (auto& c : s)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

/// Every "$ref" in `j`, anywhere.
void refs(const json& j, std::vector<std::string>& out) {
  if (j.is_object()) {
    for (auto& [k, v] : j.items()) {
      if (k == "$ref" && v.is_string())
        out.push_back(v);
      else
        refs(v, out);
    }
  } else if (j.is_array()) {
    for (auto& v : j)
      refs(v, out);
  }
}

} // namespace

TEST_CASE("the OpenAPI document describes exactly the routes the server has") {
  route_env env;
  auto routes = make_routes(env);
  std::set<std::string> routed;
  for (auto& r : routes) {
    if (r.pattern.find("{*") != std::string::npos)
      continue; // the API's 404 catch-all and the storefront's files
    routed.insert(lower(r.method) + " " + r.pattern);
  }
  std::set<std::string> described;
  auto doc = spec();
  for (auto& [path, item] : doc["paths"].items())
    for (auto& [method, op] : item.items())
      described.insert(method + " " + path);
  CHECK(routed == described);
  CHECK(routed.size() >= 25);
}

TEST_CASE("the OpenAPI document is well formed") {
  auto doc = spec();
  CHECK(doc["openapi"].get<std::string>().rfind("3.", 0) == 0);
  CHECK(doc["info"]["title"] == "Berry HTTP API");
  std::vector<std::string> all;
  refs(doc, all);
  CHECK(all.size() > 50);
  for (auto& r : all) {
    INFO(r);
    REQUIRE(r.rfind("#/components/schemas/", 0) == 0);
    CHECK(doc["components"]["schemas"].contains(r.substr(21)));
  }
  std::set<std::string> ids;
  for (auto& [path, item] : doc["paths"].items())
    for (auto& [method, op] : item.items()) {
      INFO(method << " " << path);
      CHECK(op.contains("summary"));
      CHECK(op["responses"].size() > 0);
      CHECK(ids.insert(op["operationId"].get<std::string>()).second);
      // Path parameters are all declared.
      size_t declared = 0;
      for (auto& p : op.value("parameters", json::array()))
        if (p["in"] == "path") {
          ++declared;
          CHECK(path.find("{" + p["name"].get<std::string>() + "}") !=
                std::string::npos);
        }
      CHECK(declared ==
            static_cast<size_t>(std::count(path.begin(), path.end(), '{')));
    }
}

TEST_CASE("an order as the edge renders it has only documented fields") {
  order_record x;
  x.id = "o-1";
  x.status = order_status::picked_up;
  x.lines = {{"p-1", 2, 1000, "w-1"}};
  x.total = 2000;
  x.address = {{55.7, 37.6}, "Москва"};
  x.payment_id = "pay-1";
  x.history = {{order_status::pending, 1000}, {order_status::picked_up, 2000}};
  x.courier_id = "k-1";
  x.eta_s = 60;
  x.cancel_reason = compensation_reason::customer;
  auto j = order_json(x, {{"w-1", "Склад", {55.6, 37.5}}});
  auto schema = spec()["components"]["schemas"]["Order"]["properties"];
  for (auto& [k, v] : j.items()) {
    INFO(k);
    CHECK(schema.contains(k));
  }
  CHECK(j.contains("warehouses"));
  CHECK(j.contains("courier"));
}
