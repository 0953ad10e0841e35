#include "storage/search.hpp"

#include <algorithm>
#include <set>

#include <catch2/catch.hpp>

#include "storage/catalog_repo.hpp"
#include "storage/migrations.hpp"
#include "storage/russian_words.hpp"
#include "support/test_store.hpp"

using namespace berry;
using namespace berry::storage;

namespace {

using ids = std::vector<std::string>;

// Title and description lengths are alike on purpose: with equal column
// weights bm25 would put the description-only match (p2) first.
database seeded() {
  auto db = test::fresh_database();
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

// The words of issue 15, as the demo catalog has them: dresses, a cardigan
// "to wear over a dress" (платья), kettles, sneakers.
database shop() {
  auto db = test::fresh_database();
  execute(db, upsert_category({"c", "Товары", "", 0}));
  execute(db, upsert_product({"d1", "Платье вечернее, чёрное",
                              "Вечернее платье из атласа", "c", 100, 1}));
  execute(db, upsert_product({"d2", "Платье летнее, белое",
                              "Лёгкое платье из льна", "c", 100, 1}));
  execute(db, upsert_product({"k1", "Кардиган на пуговицах",
                              "Плотная вязка, накиньте поверх платья", "c", 100,
                              1}));
  execute(db, upsert_product({"t1", "Чайник электрический", "Стальной, 1,7 л",
                              "c", 100, 1}));
  execute(db, upsert_product({"s1", "Кроссовки беговые, чёрные",
                              "Для бега по утрам", "c", 100, 1}));
  execute(db, upsert_product({"s2", "Кеды на платформе, белые", "Для прогулок",
                              "c", 100, 1}));
  return db;
}

} // namespace

TEST_CASE("user text becomes the words the index has, and nothing else") {
  auto db = seeded();
  CHECK(query_words(db, "Платье, Чёрное!") == ids{"платье", "черное"});
  CHECK(query_words(db, R"(  Shoes42 a"b*c-d(e)f —«»)") ==
        ids{"shoes42", "a", "b", "c", "d", "e", "f"});
  CHECK(query_words(db, R"(" * ( ) - ^ : + ; ')").empty());
  std::string many;
  for (std::size_t i = 0; i < max_query_words + 5; ++i)
    many += "w ";
  CHECK(query_words(db, many).size() == max_query_words);
}

TEST_CASE("each word becomes its forms or a prefix, all of them required") {
  CHECK(to_fts_query({"платье", "черное"}) ==
        R"(("платье" OR "платье"*) AND ("черное" OR "черное"*))");
  CHECK(to_fts_query({"кроссовок"}) ==
        R"(("кроссовок" OR "кроссовок"* OR "кроссовк"*))");
  CHECK(to_fts_query({R"(a"b)"}) == R"(("a""b" OR "a""b"*))");
  CHECK(to_fts_query({}).empty());
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

TEST_CASE("a word finds the other forms of itself, titles first") {
  auto db = shop();
  CHECK(search_product_ids(db, "платья") == ids{"d1", "d2", "k1"});
  CHECK(search_product_ids(db, "чайники") == ids{"t1"});
  CHECK(search_product_ids(db, "кроссовок") == ids{"s1"});
  CHECK(search_product_ids(db, "платформу") == ids{"s2"});
}

TEST_CASE("«е» and «ё» are one letter, in the query and in the text") {
  auto db = shop();
  CHECK(search_product_ids(db, "платье черное") == ids{"d1"});
  CHECK(search_product_ids(db, "платье чёрное") == ids{"d1"});
  CHECK(search_product_ids(db, "ЛЁГКОЕ") == ids{"d2"});
  auto dark = search_product_ids(db, "черн");
  std::sort(dark.begin(), dark.end());
  CHECK(dark == ids{"d1", "s1"});
}

TEST_CASE("a query that finds nothing is corrected to close words that find "
          "something") {
  auto db = shop();
  CHECK(search_product_ids(db, "плотье").empty());
  CHECK(suggest_query(db, "плотье") == "платье");
  CHECK(suggest_query(db, "Плотье чорное") == "платье черное");
  CHECK(suggest_query(db, "чайнек") == "чайник");
}

TEST_CASE("suggestions follow the catalog: a word added or changed is "
          "suggested at once on the same connection") {
  auto db = shop();
  CHECK(suggest_query(db, "холодильнек").empty());
  // A sale, or any write that leaves the full-text index alone, keeps the
  // vocabulary as it was.
  execute(db, upsert_category({"c2", "Кухня", "", 1}));
  CHECK(suggest_query(db, "чайнек") == "чайник");
  execute(db, upsert_product({"f1", "Холодильник двухкамерный", "Тихий", "c",
                              5000000, 1}));
  CHECK(suggest_query(db, "холодильнек") == "холодильник");
  // The fridge renamed: its old word is no longer suggested.
  execute(db, upsert_product({"f1", "Морозильник", "Тихий", "c", 5000000, 1}));
  CHECK(suggest_query(db, "холодильнек").empty());
  CHECK(suggest_query(db, "морозильнек") == "морозильник");
}

TEST_CASE("no suggestion when the query finds something or nothing is close") {
  auto db = shop();
  CHECK(suggest_query(db, "платье").empty());
  CHECK(suggest_query(db, "платье синее").empty());
  CHECK(suggest_query(db, "холодильник").empty());
  CHECK(suggest_query(db, "ъъ").empty());
  CHECK(suggest_query(db, "").empty());
}

TEST_CASE("a database indexed before word forms is reindexed by its "
          "migration") {
  auto db = database::open(":memory:");
  for (const auto& m : migrations()) {
    if (m.version >= 4)
      break;
    db.exec(m.sql);
    db.exec("PRAGMA user_version=" + std::to_string(m.version));
  }
  execute(db, upsert_category({"c", "Товары", "", 0}));
  execute(db, upsert_product({"d1", "Платье чёрное", "Вечернее", "c", 100, 1}));
  CHECK(search_product_ids(db, "платья").empty());
  migrate(db);
  CHECK(search_product_ids(db, "платья") == ids{"d1"});
  CHECK(search_product_ids(db, "черное") == ids{"d1"});
}

TEST_CASE("the index has each word's own stem, past the tokenizer's cache") {
  // 50,000 distinct Russian words (more than the stems a tokenizer keeps),
  // then the first and the last ones again: every indexed term is
  // Snowball's stem.
  const std::vector<std::string> syllables{"ка", "ло", "ми", "ну", "ре",
                                           "ты", "шо", "ва", "де", "жи"};
  std::string text;
  for (int i = 0; i < 50000 + 200; ++i) {
    for (int n = i < 50000   ? i
                 : i < 50100 ? i - 50000
                             : i - 200;
         n > 0; n /= 10)
      text += syllables[n % 10];
    text += "ями ";
  }
  auto db = test::fresh_database();
  if (db.is_postgres()) // the tokenizer is SQLite's (PostgreSQL: 'russian')
    return;
  execute(db, upsert_category({"c", "Товары", "", 0}));
  execute(db, upsert_product({"p1", "Платья", text, "c", 100, 1}));
  std::set<std::string> expected;
  for (const auto& w : split_words(db, "Платья " + text, 100000))
    expected.insert(stem_word(w));
  std::set<std::string> indexed;
  auto terms = db.prepare("SELECT term FROM products_fts_terms");
  while (terms.step())
    indexed.insert(terms.col_text(0));
  CHECK(expected.size() > 40000);
  CHECK(indexed == expected);
}
