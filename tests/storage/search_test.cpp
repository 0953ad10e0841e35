#include "storage/search.hpp"

#include <algorithm>

#include <catch2/catch.hpp>

#include "storage/catalog_repo.hpp"
#include "storage/migrations.hpp"

using namespace berry;
using namespace berry::storage;

namespace {

using ids = std::vector<std::string>;

// Title and description lengths are alike on purpose: with equal column
// weights bm25 would put the description-only match (p2) first.
database seeded() {
  auto db = database::open(":memory:");
  migrate(db);
  execute(db, upsert_category({"c", "Одежда", "", 0}));
  execute(db, upsert_product({"p1", "Платье летнее из льна",
                              "Лёгкая ткань для жары", "c", 100, 1}));
  execute(db, upsert_product(
                  {"p2", "Сарафан хлопковый", "Похож на платье", "c", 100, 1}));
  execute(db, upsert_product({"p3", "Кроссовки беговые", "Для бега по утрам",
                              "c", 100, 1}));
  execute(db, upsert_product(
                  {"p4", "Running shoes", "Light, for the road", "c", 100, 1}));
  return db;
}

} // namespace

TEST_CASE("user text becomes quoted prefix terms, and nothing else") {
  CHECK(to_fts_query("Платье, летнее!") == R"("Платье"* "летнее"*)");
  CHECK(to_fts_query("  shoes42 ") == R"("shoes42"*)");
  CHECK(to_fts_query(R"(a"b*c-d(e)f)") == R"("a"* "b"* "c"* "d"* "e"* "f"*)");
  CHECK(to_fts_query("").empty());
  CHECK(to_fts_query(R"(" * ( ) - ^ : + ; ')").empty());
}

TEST_CASE("a query holds at most max_query_words words") {
  std::string many;
  for (std::size_t i = 0; i < max_query_words + 5; ++i)
    many += "w ";
  auto q = to_fts_query(many);
  auto terms = static_cast<std::size_t>(std::count(q.begin(), q.end(), '*'));
  CHECK(terms == max_query_words);
}

TEST_CASE("a product is found by any case and by the start of a word") {
  auto db = seeded();
  for (auto q : {"ПЛАТЬЕ", "платье", "Летнее", "плат", "летн льна",
                 "платье — летнее", "«Платье»"}) {
    INFO("query: " << q);
    auto found = search_product_ids(db, q);
    REQUIRE_FALSE(found.empty());
    CHECK(found.front() == "p1");
  }
  CHECK(search_product_ids(db, "RUN") == ids{"p4"});
}

TEST_CASE("every word of the query must match") {
  auto db = seeded();
  CHECK(search_product_ids(db, "платье летнее") == ids{"p1"});
  CHECK(search_product_ids(db, "платье зимнее").empty());
  CHECK(search_product_ids(db, "ткань жары льна") == ids{"p1"});
}

TEST_CASE("title matches rank above description-only matches") {
  auto db = seeded();
  CHECK(search_product_ids(db, "платье") == ids{"p1", "p2"});
  CHECK(search_product_ids(db, "платье", 1) == ids{"p1"});
}

TEST_CASE("hostile or empty queries find nothing and never fail") {
  auto db = seeded();
  for (auto q : {"", "   ", "\"", "*", "(", ")", "-", "^", "AND OR NOT",
                 "NEAR(", "title:", "'; DROP TABLE products; --", "\"платье",
                 "платье\"", "\xff\xfe", "—"}) {
    INFO("query: " << q);
    std::vector<std::string> found;
    CHECK_NOTHROW(found = search_product_ids(db, q));
    if (std::string_view{q} != "\"платье" && std::string_view{q} != "платье\"")
      CHECK(found.empty());
  }
  CHECK(search_product_ids(db, "\"платье").front() == "p1");
  CHECK(load_products(db).size() == 4); // the DROP did nothing
}
