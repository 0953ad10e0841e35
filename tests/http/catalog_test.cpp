// JSON mapping of catalog types, the rendered catalog cache, and the
// products listing.

#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "catalog_fixture.hpp"
#include "http/catalog_cache.hpp"
#include "http/json_mapping.hpp"
#include "http/product_listing.hpp"

using namespace berry::http;
using berry::test::entry;
using berry::test::snapshot;

namespace {

std::vector<std::string> ids(const product_page& p) {
  std::vector<std::string> out;
  for (auto* r : p.items)
    out.push_back(r->entry->item.id);
  return out;
}

products_query query(const std::string& text) {
  auto q = parse_products_query(text);
  REQUIRE(q);
  return *q;
}

} // namespace

TEST_CASE("a product's JSON has money in kopecks and RUB") {
  auto j =
      product_json(*entry("p-1", "Платье", "c-dresses", 199900, 1764000000, 7));
  CHECK(j["id"] == "p-1");
  CHECK(j["title"] == "Платье");
  CHECK(j["description"] == "описание");
  CHECK(j["category_id"] == "c-dresses");
  CHECK(j["price"] == nlohmann::json{{"amount", 199900}, {"currency", "RUB"}});
  CHECK(j["price"]["amount"].is_number_integer());
  CHECK(j["available"] == 7);
  CHECK(j["created_at"] == "2025-11-24T16:00:00Z");
}

TEST_CASE("a root category has a null parent_id") {
  auto root = category_json({"c-1", "Одежда", "", 0});
  CHECK(root["parent_id"].is_null());
  auto child = category_json({"c-2", "Платья", "c-1", 0});
  CHECK(child["parent_id"] == "c-1");
}

TEST_CASE("a warehouse has a location with lat and lon") {
  auto j = warehouse_json({"w-1", "Склад", {55.75, 37.62}});
  CHECK(j["location"]["lat"] == 55.75);
  CHECK(j["location"]["lon"] == 37.62);
  CHECK(j["name"] == "Склад");
}

TEST_CASE("the cache starts empty and serves what was published") {
  catalog_cache cache;
  CHECK(cache.load()->products.empty());
  CHECK(nlohmann::json::parse(cache.load()->categories_json)["items"].empty());
  cache.publish(snapshot({entry("p-1", "A", "c-kitchen", 100)}));
  auto cat = cache.load();
  REQUIRE(cat->find("p-1"));
  CHECK(nlohmann::json::parse(cat->find("p-1")->json())["price"]["amount"] ==
        100);
  CHECK(nlohmann::json::parse(cat->categories_json)["items"].size() == 4);
  CHECK(cat->find("p-2") == nullptr);
}

TEST_CASE("an unchanged entry keeps its rendering, a changed one is redone") {
  catalog_cache cache;
  auto same = entry("p-1", "A", "c-kitchen", 100);
  cache.publish(snapshot({same, entry("p-2", "B", "c-kitchen", 200)}, 1));
  auto before = cache.load();
  cache.publish(snapshot({same, entry("p-2", "B", "c-kitchen", 250)}, 2));
  auto after = cache.load();
  CHECK(after->find("p-1") == before->find("p-1"));
  CHECK(after->find("p-2") != before->find("p-2"));
  CHECK(nlohmann::json::parse(after->find("p-2")->json())["price"]["amount"] ==
        250);
  CHECK(after->find("p-2")->etag() != before->find("p-2")->etag());
}

TEST_CASE("a category's subtree holds itself and all its descendants") {
  auto cat = render_catalog(snapshot({}), nullptr);
  auto& clothes = cat->subtrees.at("c-clothes");
  CHECK(clothes.size() == 3);
  CHECK(clothes.count("c-evening") == 1);
  CHECK(cat->subtrees.at("c-kitchen").size() == 1);
}

TEST_CASE(
    "without q products are listed by id, filtered by subtree and price") {
  auto cat = render_catalog(snapshot({entry("p-1", "A", "c-dresses", 500),
                                      entry("p-2", "B", "c-kitchen", 100),
                                      entry("p-3", "C", "c-evening", 1500),
                                      entry("p-4", "D", "c-clothes", 900)}),
                            nullptr);
  CHECK(ids(list_products(*cat, query(""), nullptr)) ==
        std::vector<std::string>{"p-1", "p-2", "p-3", "p-4"});
  auto in_clothes = list_products(*cat, query("category=c-clothes"), nullptr);
  CHECK(ids(in_clothes) == std::vector<std::string>{"p-1", "p-3", "p-4"});
  CHECK(in_clothes.total == 3);
  CHECK(ids(list_products(*cat, query("min_price=500&max_price=900"),
                          nullptr)) == std::vector<std::string>{"p-1", "p-4"});
  CHECK(list_products(*cat, query("category=nope"), nullptr).total == 0);
}

TEST_CASE("sorting breaks ties by id so that pages are stable") {
  auto cat = render_catalog(snapshot({entry("p-5", "Б", "c-kitchen", 100, 10),
                                      entry("p-1", "В", "c-kitchen", 300, 30),
                                      entry("p-3", "А", "c-kitchen", 100, 30),
                                      entry("p-2", "Б", "c-kitchen", 200, 20),
                                      entry("p-4", "А", "c-kitchen", 100, 10)}),
                            nullptr);
  auto all = [&](const std::string& sort) {
    return ids(list_products(*cat, query("sort=" + sort), nullptr));
  };
  using v = std::vector<std::string>;
  CHECK(all("price_asc") == v{"p-3", "p-4", "p-5", "p-2", "p-1"});
  CHECK(all("price_desc") == v{"p-1", "p-2", "p-3", "p-4", "p-5"});
  CHECK(all("newest") == v{"p-1", "p-3", "p-2", "p-4", "p-5"});
  CHECK(all("title") == v{"p-3", "p-4", "p-2", "p-5", "p-1"});
  // Two pages of two and a last page of one cover everything once.
  v paged;
  for (int page = 1; page <= 3; ++page) {
    auto p = list_products(
        *cat, query("sort=price_asc&page_size=2&page=" + std::to_string(page)),
        nullptr);
    CHECK(p.total == 5);
    auto got = ids(p);
    paged.insert(paged.end(), got.begin(), got.end());
  }
  CHECK(paged == all("price_asc"));
  CHECK(
      list_products(*cat, query("page=4&page_size=2"), nullptr).items.empty());
}

TEST_CASE("sort=popular puts the most sold first and the unsold after, by "
          "id") {
  auto cat = render_catalog(snapshot({entry("p-1", "А", "c-kitchen", 100, 10),
                                      entry("p-2", "Б", "c-kitchen", 100, 10),
                                      entry("p-3", "В", "c-kitchen", 100, 10),
                                      entry("p-4", "Г", "c-kitchen", 100, 10)}),
                            nullptr);
  units_by_id sold{{"p-3", 7}, {"p-2", 2}, {"p-4", 7}, {"p-9", 50}};
  using v = std::vector<std::string>;
  CHECK(ids(list_products(*cat, query("sort=popular"), nullptr, &sold)) ==
        v{"p-3", "p-4", "p-2", "p-1"});
  // Nothing sold yet: catalog order.
  CHECK(ids(list_products(*cat, query("sort=popular"), nullptr)) ==
        v{"p-1", "p-2", "p-3", "p-4"});
  v ranked{"p-1", "p-2", "p-4"};
  CHECK(ids(list_products(*cat, query("q=x&sort=popular"), &ranked, &sold)) ==
        v{"p-4", "p-2", "p-1"});
}

TEST_CASE("with q the search order is kept and unknown ids are skipped") {
  auto cat = render_catalog(snapshot({entry("p-1", "A", "c-dresses", 500),
                                      entry("p-2", "B", "c-kitchen", 100),
                                      entry("p-3", "C", "c-evening", 1500)}),
                            nullptr);
  std::vector<std::string> ranked{"p-3", "gone", "p-1", "p-2", "p-3"};
  auto p = list_products(*cat, query("q=x"), &ranked);
  CHECK(ids(p) == std::vector<std::string>{"p-3", "p-1", "p-2"});
  CHECK(p.total == 3);
  auto dresses = list_products(*cat, query("q=x&category=c-dresses"), &ranked);
  CHECK(ids(dresses) == std::vector<std::string>{"p-3", "p-1"});
  auto cheap = list_products(*cat, query("q=x&sort=price_asc"), &ranked);
  CHECK(ids(cheap) == std::vector<std::string>{"p-2", "p-1", "p-3"});
}

TEST_CASE("a page renders as items, page, page_size and total") {
  auto cat = render_catalog(snapshot({entry("p-1", "A", "c-kitchen", 500),
                                      entry("p-2", "B", "c-kitchen", 100)}),
                            nullptr);
  auto j = nlohmann::json::parse(
      render_page(list_products(*cat, query("page_size=1&page=2"), nullptr)));
  CHECK(j["page"] == 2);
  CHECK(j["page_size"] == 1);
  CHECK(j["total"] == 2);
  REQUIRE(j["items"].size() == 1);
  CHECK(j["items"][0]["id"] == "p-2");
  CHECK(j["items"][0]["price"]["currency"] == "RUB");
}
