// The Order document written per answer is the very text the JSON library
// makes of order_json: every optional part, odd numbers and odd text.

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <limits>

#include "http/json_mapping.hpp"
#include "http/routes_orders.hpp"

using namespace berry;

namespace {

std::string order_library_text(const order_record& x,
                               const std::vector<warehouse_info>& ws,
                               std::optional<int64_t> number = {}) {
  auto j = http::order_json(x, ws);
  if (number)
    j["number"] = *number;
  return http::dump_json(j);
}

std::string order_direct_text(const order_record& x,
                              const std::vector<warehouse_info>& ws,
                              std::optional<int64_t> number = {}) {
  std::string out;
  http::append_order_json(out, x, ws, number);
  return out;
}

order_record paid_order() {
  order_record x;
  x.id = "o-5f1c";
  x.user_id = "u-1";
  x.status = order_status::paid;
  x.lines = {{"p-000001", 2, 129900, "w-msk"}, {"p-000042", 1, 99, "w-spb"}};
  x.total = 259899;
  x.address = {{55.7601, 37.6186}, "Москва, Тверская ул., 1"};
  x.payment_id = "pay-77";
  x.created_at_ms = 1764633600123;
  x.history = {{order_status::pending, 1764633600123},
               {order_status::reserved, 1764633600200},
               {order_status::paid, 1764633601999}};
  return x;
}

const std::vector<warehouse_info> order_test_warehouses{
    {"w-msk", "Москва «Север»", {55.75, 37.0}},
    {"w-kzn", "Казань", {55.79, 49.12}},
    {"w-spb", "Санкт-Петербург", {59.9386, 30.3141}}};

} // namespace

TEST_CASE("an order's document is what the JSON library writes") {
  auto x = paid_order();
  CHECK(order_direct_text(x, order_test_warehouses) ==
        order_library_text(x, order_test_warehouses));
  CHECK(order_direct_text(x, {}) == order_library_text(x, {}));
  CHECK(order_direct_text(x, order_test_warehouses, 1234567) ==
        order_library_text(x, order_test_warehouses, 1234567));

  SECTION("pending: no payment, no warehouse yet, no history but one") {
    x.status = order_status::pending;
    x.payment_id.clear();
    for (auto& l : x.lines)
      l.warehouse_id.clear();
    x.history.resize(1);
    CHECK(order_direct_text(x, order_test_warehouses) ==
          order_library_text(x, order_test_warehouses));
  }
  SECTION("carried: courier, its place and the ETA") {
    x.status = order_status::picked_up;
    x.courier_id = "c-7";
    x.courier_location = {55.0, -0.5};
    x.eta_s = 0;
    CHECK(order_direct_text(x, order_test_warehouses, 1) ==
          order_library_text(x, order_test_warehouses, 1));
    x.eta_s = 86400;
    CHECK(order_direct_text(x, order_test_warehouses) ==
          order_library_text(x, order_test_warehouses));
  }
  SECTION("cancelled and refunded, with its reason; returned") {
    x.status = order_status::cancelled;
    x.cancel_reason = compensation_reason::payment_declined;
    CHECK(order_direct_text(x, order_test_warehouses) ==
          order_library_text(x, order_test_warehouses));
    x.cancel_reason = compensation_reason::none;
    CHECK(order_direct_text(x, order_test_warehouses) ==
          order_library_text(x, order_test_warehouses));
    x.status = order_status::returned;
    CHECK(order_direct_text(x, order_test_warehouses) ==
          order_library_text(x, order_test_warehouses));
  }
  SECTION("odd numbers: whole, tiny, huge, negative, not finite") {
    for (double v : {0.0, -0.0, 1.0, 1e-7, 123456789.125, -179.999999999, 1e21,
                     5e-324, std::numeric_limits<double>::infinity(),
                     std::numeric_limits<double>::quiet_NaN()}) {
      x.address.location = {v, -v};
      CHECK(order_direct_text(x, order_test_warehouses) ==
            order_library_text(x, order_test_warehouses));
    }
    x.total = std::numeric_limits<int64_t>::max();
    x.lines[0].qty = -3;
    CHECK(order_direct_text(x, {}, std::numeric_limits<int64_t>::min()) ==
          order_library_text(x, {}, std::numeric_limits<int64_t>::min()));
  }
  SECTION("odd text: escapes and broken UTF-8, replaced as the library does") {
    for (const auto& text : std::vector<std::string>{
             "", "quote \" and \\ backslash", "tab\tnew\nline\r\x01\x1f",
             "bad \xff byte", "cut \xd0", "emoji 👗 ok"}) {
      x.address.text = text;
      x.lines[1].product_id = text;
      CHECK(order_direct_text(x, order_test_warehouses) ==
            order_library_text(x, order_test_warehouses));
    }
  }
}

TEST_CASE("an order's document names what a client reads") {
  auto j = nlohmann::json::parse(
      order_direct_text(paid_order(), order_test_warehouses, 42));
  CHECK(j["id"] == "o-5f1c");
  CHECK(j["status"] == "paid");
  CHECK(j["number"] == 42);
  CHECK(j["total"]["amount"] == 259899);
  CHECK(j["payment"]["status"] == "captured");
  CHECK(j["lines"].size() == 2);
  CHECK(j["lines"][1]["unit_price"]["amount"] == 99);
  CHECK(j["history"].size() == 3);
  // Only the warehouses its lines come from, in the node's order.
  REQUIRE(j["warehouses"].size() == 2);
  CHECK(j["warehouses"][0]["id"] == "w-msk");
  CHECK(j["warehouses"][1]["id"] == "w-spb");
  CHECK(j["address"]["lat"] == 55.7601);
}
