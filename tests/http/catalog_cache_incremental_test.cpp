// The catalog from a change to the edge's rendering, without actors: the
// catalog state makes snapshots, render_catalog renders them against the
// previous rendering. A change costs what changed: the rest is shared.

#include <catch2/catch.hpp>

#include <cstdio>
#include <set>

#include <nlohmann/json.hpp>

#include "actors/catalog.hpp"
#include "http/catalog_cache.hpp"

using namespace berry;
using namespace berry::http;

namespace {

std::string id_of(size_t i) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "p-%06zu", i);
  return buf;
}

/// A catalog of n products with 5 units each in w-1, rendered.
struct pipeline {
  catalog_state st;
  std::shared_ptr<const rendered_catalog> view;

  explicit pipeline(size_t n) {
    st.categories = {{"c-home", "Дом", "", 0}};
    st.expected_warehouses = 1;
    availability_report r{"w-1", {}};
    for (size_t i = 1; i <= n; ++i) {
      st.put({id_of(i), "Товар " + id_of(i), "", "c-home", 100, 0});
      r.items.push_back({id_of(i), 5});
    }
    st.apply(r);
    publish();
  }
  void publish() { view = render_catalog(st.build(), view.get()); }
  int64_t available(const std::string& id) const {
    return nlohmann::json::parse(view->find(id)->json())["available"];
  }
};

} // namespace

TEST_CASE("a stock change shows in the next rendering, and the others keep "
          "their rendered object and ETag") {
  pipeline p{3000};
  auto before = p.view;
  p.st.apply({"w-1", {{id_of(1234), 2}}});
  p.publish();
  CHECK(p.available(id_of(1234)) == 2);
  CHECK(p.view->find(id_of(1234))->etag() != before->find(id_of(1234))->etag());
  size_t same = 0;
  for (auto& r : p.view->products)
    same += before->find(r->entry->item.id) == r.get();
  CHECK(same == 2999);
  CHECK(before->find(id_of(1235))->etag() == p.view->find(id_of(1235))->etag());
}

TEST_CASE("successive snapshots and renderings share every chunk but the "
          "changed one") {
  pipeline p{5000};
  auto first_snap = p.st.last;
  auto first_view = p.view;
  for (int k = 0; k < 20; ++k) {
    p.st.apply({"w-1", {{id_of(4000), 10 + k}}});
    p.publish();
  }
  auto shared = [](const auto& a, const auto& b) {
    std::set<const void*> mine;
    for (auto& c : a.chunks())
      mine.insert(c.get());
    size_t n = 0;
    for (auto& c : b.chunks())
      n += mine.count(c.get());
    return n;
  };
  auto chunks = p.view->products.chunks().size();
  REQUIRE(chunks > 2);
  CHECK(shared(first_snap->products, p.st.last->products) ==
        p.st.last->products.chunks().size() - 1);
  CHECK(shared(first_view->products, p.view->products) == chunks - 1);
  CHECK(p.available(id_of(4000)) == 29);
}

TEST_CASE("adding a product keeps every other product's entry and "
          "rendering") {
  pipeline p{2000};
  auto before = p.view;
  auto id = p.st.new_product_id();
  CHECK(id == id_of(2001));
  p.st.put({id, "Новый", "", "c-home", 300, 0});
  p.publish();
  REQUIRE(p.view->products.size() == 2001);
  REQUIRE(p.view->find(id));
  CHECK(p.available(id) == 0);
  size_t same = 0;
  for (auto& r : before->products)
    same += p.view->find(r->entry->item.id) == r.get();
  CHECK(same == 2000);
  // Iteration stays in product-id order.
  std::string last;
  for (auto& r : p.view->products) {
    CHECK(last < r->entry->item.id);
    last = r->entry->item.id;
  }
  CHECK(last == id);
}

TEST_CASE("stock reported before its product exists counts once the product "
          "is put") {
  catalog_state st;
  st.categories = {{"c-home", "Дом", "", 0}};
  st.apply({"w-1", {{"p-9", 4}}});
  st.apply({"w-2", {{"p-9", 3}}});
  CHECK(st.available("p-9") == 7);
  st.put({"p-9", "Поздний", "", "c-home", 1, 0});
  CHECK(st.build()->find("p-9")->available == 7);
  st.apply({"w-2", {{"p-9", 0}}});
  CHECK(st.build()->find("p-9")->available == 4);
}

TEST_CASE("snapshots share one list of categories until the categories "
          "change") {
  pipeline p{10};
  auto first = p.st.last;
  p.st.apply({"w-1", {{id_of(3), 1}}});
  p.publish();
  CHECK(&first->categories.get() == &p.st.last->categories.get());
  p.st.categories.push_back({"c-toys", "Игрушки", "", 1});
  p.publish();
  REQUIRE(p.st.last->categories.size() == 2);
  CHECK(&first->categories.get() != &p.st.last->categories.get());
  CHECK(first->categories.size() == 1);
  CHECK(nlohmann::json::parse(p.view->categories_json)["items"].size() == 2);
}
