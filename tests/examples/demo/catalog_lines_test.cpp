#include "examples/demo/catalog_lines.hpp"

#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>

#include "examples/demo/demo_data.hpp"

// `berry seed --products N`: a large catalog that imports cleanly, Russian
// words over the demo's categories and warehouses, the same every time.

namespace {

std::string lines(size_t n, uint32_t seed = 20261124) {
  std::ostringstream out;
  berry::demo::write_catalog_lines(out, n, seed);
  return out.str();
}

} // namespace

TEST_CASE("the same count and seed give the same lines, a longer run more") {
  auto a = lines(300);
  CHECK(a == lines(300));
  CHECK(lines(500).rfind(a, 0) == 0);
  CHECK(a != lines(300, 7));
}

TEST_CASE("generated lines name the demo's leaf categories and warehouses") {
  auto demo = berry::demo::make_demo_data();
  std::set<std::string> categories, warehouses, used_categories, ids;
  for (auto& p : demo.products)
    categories.insert(p.category_id);
  for (auto& w : demo.warehouses)
    warehouses.insert(w.id);
  std::istringstream in(lines(2000));
  size_t n = 0;
  for (std::string text; std::getline(in, text); ++n) {
    auto j = nlohmann::json::parse(text);
    ids.insert(j["external_id"].get<std::string>());
    auto category = j["category_id"].get<std::string>();
    CHECK(categories.count(category) == 1);
    used_categories.insert(category);
    CHECK(j["title"].get<std::string>().find_first_of("аеиоуя") !=
          std::string::npos);
    CHECK(j["price"]["amount"].get<int64_t>() > 0);
    CHECK(j["price"]["currency"] == "RUB");
    REQUIRE(j["stock"].size() >= 1);
    for (auto& [w, on_hand] : j["stock"].items()) {
      CHECK(warehouses.count(w) == 1);
      CHECK(on_hand.get<int64_t>() >= 0);
    }
  }
  CHECK(n == 2000);
  CHECK(ids.size() == 2000);
  CHECK(used_categories.size() > categories.size() * 9 / 10);
}
