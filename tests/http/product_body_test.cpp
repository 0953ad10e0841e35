// The Product document written per request is the very text the JSON
// library makes, escapes and broken UTF-8 included.

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "http/json_mapping.hpp"
#include "http/product_body.hpp"

using namespace berry;

namespace {

std::string library_text(const catalog_entry& e) {
  return http::dump_json(http::product_json(e));
}

catalog_entry entry(std::string title, std::string description = "Хлопок") {
  return {{"p-000001", std::move(title), std::move(description), "c-dress",
           129900, 1764633600},
          7,
          0};
}

} // namespace

TEST_CASE("a product's document is what the JSON library writes") {
  for (const auto& title : std::vector<std::string>{
           "Платье летнее", "", "Ёлка «Ель» 2 м", "emoji 👗 ok",
           "quote \" and \\ backslash", "tab\tnew\nline\r\x01\x1f\x7f",
           "bad \xff byte", "cut \xd0", "overlong \xc0\xaf",
           "surrogate \xed\xa0\x80", "too high \xf4\x90\x80\x80",
           "three \xe2\x82\xac euro, four \xf0\x9f\x91\x97"}) {
    auto e = entry(title);
    CHECK(http::product_body(e) == library_text(e));
  }
}

TEST_CASE("a product's document carries every field") {
  auto e = entry("Платье", "Шёлк, \"миди\"");
  e.item.price = -5;
  e.available = 0;
  e.item.created_at = 0;
  auto j = nlohmann::json::parse(http::product_body(e));
  CHECK(j["title"] == "Платье");
  CHECK(j["description"] == "Шёлк, \"миди\"");
  CHECK(j["price"]["amount"] == -5);
  CHECK(j["price"]["currency"] == "RUB");
  CHECK(j["available"] == 0);
  CHECK(j["created_at"] == "1970-01-01T00:00:00Z");
  CHECK(http::product_body(e) == library_text(e));
}
