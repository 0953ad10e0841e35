// A product's document as GET /api/v1/products/{id} sends it: written at
// the first request, kept with the rendering, and new with every rendering
// that changes the product; within the budget of kept bytes only.

#include <catch2/catch.hpp>

#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "catalog_fixture.hpp"
#include "http/catalog_cache.hpp"
#include "http/etag.hpp"
#include "http/product_body.hpp"

using namespace berry::http;
using berry::test::entry;
using berry::test::snapshot;

namespace {

/// Sets the budget of kept documents for one test, and puts it back.
struct budget_scope {
  size_t saved = product_document_budget();
  explicit budget_scope(size_t bytes) { set_product_document_budget(bytes); }
  ~budget_scope() { set_product_document_budget(saved); }
};

nlohmann::json doc(const rendered_product& p) {
  std::string scratch;
  return nlohmann::json::parse(p.json(scratch));
}

} // namespace

TEST_CASE("a product's document is written at its first request and kept") {
  budget_scope budget{size_t{1} << 20};
  auto kept_before = product_documents_kept();
  {
    catalog_cache cache;
    cache.publish(snapshot({entry("p-1", "Платье", "c-dresses", 199900, 0, 7),
                            entry("p-2", "Чайник", "c-kitchen", 100)}));
    auto cat = cache.load();
    auto* p = cat->find("p-1");
    REQUIRE(p);
    CHECK_FALSE(p->keeps_document());
    std::string a, b;
    auto& first = p->json(a);
    auto& second = p->json(b);
    CHECK(&first == &second);
    CHECK(&first != &a);
    CHECK(p->keeps_document());
    CHECK_FALSE(cat->find("p-2")->keeps_document());
    CHECK(first == product_body(*p->entry));
    CHECK(p->etag() == make_etag(first));
    CHECK(product_documents_kept() >= kept_before + first.size());
    // A listing appends the kept document as it is.
    std::string listed;
    p->append_json(listed);
    CHECK(listed == first);
  }
  // The renderings are gone, and their documents' bytes with them.
  CHECK(product_documents_kept() == kept_before);
}

TEST_CASE("a stock or price change gives the product a new document and ETag "
          "at once, while a request on the old rendering keeps the old one") {
  budget_scope budget{size_t{1} << 20};
  catalog_cache cache;
  auto other = entry("p-2", "Чайник", "c-kitchen", 100);
  cache.publish(
      snapshot({entry("p-1", "Платье", "c-dresses", 500, 0, 7), other}, 1));
  auto before = cache.load();
  CHECK(doc(*before->find("p-1"))["available"] == 7);
  CHECK(doc(*before->find("p-2"))["price"]["amount"] == 100);
  auto old_tag = before->find("p-1")->etag();

  cache.publish(
      snapshot({entry("p-1", "Платье", "c-dresses", 500, 0, 3), other}, 2));
  auto stock = cache.load();
  CHECK(doc(*stock->find("p-1"))["available"] == 3);
  auto stock_tag = stock->find("p-1")->etag();
  CHECK(stock_tag != old_tag);
  std::string scratch;
  CHECK(stock_tag == make_etag(stock->find("p-1")->json(scratch)));
  // The unchanged product keeps its rendering and its kept document.
  CHECK(stock->find("p-2") == before->find("p-2"));
  CHECK(stock->find("p-2")->keeps_document());

  cache.publish(
      snapshot({entry("p-1", "Платье", "c-dresses", 650, 0, 3), other}, 3));
  auto price = cache.load();
  auto now = doc(*price->find("p-1"));
  CHECK(now["price"]["amount"] == 650);
  CHECK(now["available"] == 3);
  CHECK(price->find("p-1")->etag() != stock_tag);
  CHECK(price->find("p-1")->etag() ==
        make_etag(price->find("p-1")->json(scratch)));

  CHECK(doc(*before->find("p-1"))["available"] == 7);
  CHECK(before->find("p-1")->etag() == old_tag);
}

TEST_CASE("past the budget a document is written per request, not kept") {
  budget_scope budget{0};
  auto kept_before = product_documents_kept();
  auto cat =
      render_catalog(snapshot({entry("p-1", "A", "c-kitchen", 100)}), nullptr);
  auto* p = cat->find("p-1");
  std::string scratch;
  auto& body = p->json(scratch);
  CHECK(&body == &scratch);
  CHECK(body == product_body(*p->entry));
  CHECK(p->etag() == make_etag(body));
  CHECK_FALSE(p->keeps_document());
  CHECK(product_documents_kept() == kept_before);
}

TEST_CASE("threads asking for one document at once all get it, and one copy is "
          "kept") {
  budget_scope budget{size_t{1} << 20};
  auto kept_before = product_documents_kept();
  {
    auto cat = render_catalog(
        snapshot({entry("p-1", "Платье", "c-dresses", 199900, 0, 7)}), nullptr);
    auto* p = cat->find("p-1");
    auto expected = product_body(*p->entry);
    std::vector<const std::string*> seen(4);
    std::vector<std::string> bodies(seen.size());
    std::vector<std::thread> threads;
    for (size_t t = 0; t < seen.size(); ++t)
      threads.emplace_back([&, t] {
        std::string scratch;
        auto& body = p->json(scratch);
        bodies[t] = body;
        seen[t] = &body;
      });
    for (auto& t : threads)
      t.join();
    for (size_t t = 0; t < seen.size(); ++t) {
      CHECK(bodies[t] == expected);
      CHECK(seen[t] == seen[0]);
    }
    CHECK(product_documents_kept() - kept_before ==
          sizeof(std::string) + expected.size());
  }
  CHECK(product_documents_kept() == kept_before);
}
