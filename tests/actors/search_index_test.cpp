#include "actors/search_index.hpp"

#include <catch2/catch.hpp>
#include <limits>
#include <map>

#include "actors/catalog_search.hpp"

namespace {

using berry::product;
using berry::search_order;

std::vector<const product*> pointers(const std::vector<product>& ps) {
  std::vector<const product*> out;
  for (auto& p : ps)
    out.push_back(&p);
  return out;
}

std::vector<std::string> ids(const berry::search_matches& m) {
  std::vector<std::string> out;
  for (auto& h : m.hits)
    out.push_back(*h.id);
  return out;
}

berry::search_query query(const std::string& text, size_t keep = 20) {
  berry::search_query q;
  q.words = berry::search_words(text);
  q.keep = keep;
  return q;
}

/// A catalog snapshot of `products` (one unit of each) in `categories`.
berry::catalog_snapshot
snapshot_of(const std::vector<product>& products,
            const std::vector<berry::category>& categories = {}) {
  berry::catalog_snapshot snap;
  snap.categories = categories;
  berry::chunked_seq_editor<berry::catalog_entry, berry::entry_id> entries;
  for (auto& p : products)
    entries.put(std::make_shared<const berry::catalog_entry>(
        berry::catalog_entry{p, 1}));
  snap.products = entries.publish();
  return snap;
}

const std::vector<product> shop = {
    {"p-1", "Платье летнее", "Хлопок, на каждый день", "c-dress", 300000, 10},
    {"p-2", "Сумка", "Подойдёт к любому платью", "c-bags", 150000, 20},
    {"p-3", "Платья вечерние, чёрное", "Крепдешин", "c-dress", 900000, 30},
    {"p-4", "Кроссовки беговые", "Сетка", "c-shoes", 500000, 40},
    {"p-5", "Чайник", "Стекло, 1,7 л", "c-home", 199000, 50},
};

} // namespace

TEST_CASE("search words are runs of letters and digits, folded") {
  CHECK(berry::search_words("Платье-рубашка Nordline, р. 50") ==
        std::vector<std::string>{"платье", "рубашка", "nordline", "р", "50"});
  CHECK(berry::search_words("Ёлка «ЁЖИК»") ==
        std::vector<std::string>{"елка", "ежик"});
  CHECK(berry::search_words("a b c", 2).size() == 2);
}

TEST_CASE("a search finds every form of a word, title hits first") {
  berry::search_index index{pointers(shop)};
  auto m = index.find(query("платья"));
  // Both dresses have it in their title; the bag only in its description.
  CHECK(ids(m) == std::vector<std::string>{"p-1", "p-3", "p-2"});
  CHECK(m.total == 3);
  CHECK_FALSE(m.estimate);
  CHECK(ids(index.find(query("ЧЕРНОЕ платье"))) ==
        std::vector<std::string>{"p-3"});
  // The start of a word, and a stem that loses its vowel.
  CHECK(ids(index.find(query("чайн"))) == std::vector<std::string>{"p-5"});
  CHECK(ids(index.find(query("кроссовок"))) == std::vector<std::string>{"p-4"});
  CHECK(index.find(query("самовар")).total == 0);
  CHECK(index.find(query("")).total == 0);
}

TEST_CASE("a search filters by category and price and keeps the best page") {
  berry::search_index index{pointers(shop)};
  auto q = query("платье");
  std::unordered_set<std::string> dresses{"c-dress"};
  q.categories = &dresses;
  CHECK(ids(index.find(q)) == std::vector<std::string>{"p-1", "p-3"});
  q.categories = nullptr;
  q.max_price = 400000;
  CHECK(ids(index.find(q)) == std::vector<std::string>{"p-1", "p-2"});
  q.max_price.reset();
  q.order = search_order::price_desc;
  q.keep = 1;
  auto m = index.find(q);
  CHECK(ids(m) == std::vector<std::string>{"p-3"});
  CHECK(m.total == 3);
  q.order = search_order::newest;
  CHECK(ids(index.find(q)) == std::vector<std::string>{"p-3"});
}

TEST_CASE("a word in too many documents gives an estimated total") {
  std::vector<product> many;
  for (int i = 0; i < 1000; ++i)
    many.push_back(
        {"p-" + std::to_string(10000 + i), "Платье", "", "c-dress", i, 0});
  berry::search_index index{pointers(many), {}, 100};
  auto m = index.find(query("платье", 5));
  CHECK(m.estimate);
  CHECK(m.total >= 900);
  CHECK(m.total <= 1100);
  CHECK(m.hits.size() == 5);
  berry::search_index exact{pointers(many)};
  auto all = exact.find(query("платье", 5));
  CHECK_FALSE(all.estimate);
  CHECK(all.total == 1000);
}

TEST_CASE("a one-word search reads only its best score levels, and finds "
          "what scoring every match finds") {
  // Titles and descriptions repeat words of one stem family a varied number
  // of times, so that a word stands for several terms of several weights
  // and many matches tie.
  const std::vector<std::string> words = {"платье",   "платья", "платок",
                                          "платочек", "плащ",   "сумка"};
  std::vector<product> many;
  for (int i = 0; i < 3000; ++i) {
    std::string title, description;
    for (int k = 0; k <= i % 3; ++k)
      title += words[(i * 7 + k) % words.size()] + " ";
    for (int k = 0; k <= i % 5; ++k)
      description += words[(i * 11 + k * 3) % words.size()] + " ";
    if (i % 301 == 0)
      (i % 2 ? title : description) += "вечернее";
    many.push_back({"p-" + std::to_string(100000 + i), title, description,
                    "c-dress", i * 100, i});
  }
  berry::search_index index{pointers(many)};
  std::vector<bool> hidden(many.size());
  std::vector<uint32_t> hidden_docs;
  for (uint32_t d = 0; d < hidden.size(); d += 37) {
    hidden[d] = true;
    hidden_docs.push_back(d);
  }
  // Hidden documents: none, a bit per document, and the bits with a list.
  for (int hiding = 0; hiding < 3; ++hiding)
    for (std::string word : {"платье", "плат", "пла", "сумка", "плащ"})
      for (std::size_t keep : {1, 7, 20, 500, 5000}) {
        CAPTURE(word, keep, hiding);
        auto* h = hiding > 0 ? &hidden : nullptr;
        auto* list = hiding > 1 ? &hidden_docs : nullptr;
        auto q = query(word, keep);
        auto fast = index.find(q, h, nullptr, list);
        // A price filter takes another way: the listing, or every match.
        q.min_price = std::numeric_limits<int64_t>::min();
        auto each = index.find(q, h);
        CHECK(fast.total == each.total);
        CHECK(ids(fast) == ids(each));
        REQUIRE(fast.hits.size() == each.hits.size());
        for (std::size_t i = 0; i < fast.hits.size(); ++i)
          CHECK(fast.hits[i].score == each.hits[i].score);
      }
  CHECK(index.find(query("платье")).total > 500);
  // Two words: the documents of both, their scores added, as two one-word
  // searches find them.
  for (std::string other : {"платье", "плат", "сумка"}) {
    CAPTURE(other);
    std::map<std::string, float> rare, common;
    for (auto& h : index.find(query("вечернее", 100000)).hits)
      rare[*h.id] = h.score;
    for (auto& h : index.find(query(other, 100000)).hits)
      common[*h.id] = h.score;
    std::vector<std::pair<float, std::string>> both;
    for (auto& [id, score] : rare)
      if (common.count(id))
        both.emplace_back(-(score + common[id]), id);
    std::sort(both.begin(), both.end());
    auto m = index.find(query("вечернее " + other, 3));
    REQUIRE(m.total == int64_t(both.size()));
    REQUIRE(m.total > 3);
    for (std::size_t i = 0; i < m.hits.size(); ++i) {
      CHECK(*m.hits[i].id == both[i].second);
      CHECK(m.hits[i].score == -both[i].first);
    }
  }
}

TEST_CASE("the catalog's search shows a changed product at once") {
  auto snap = snapshot_of(shop);
  berry::catalog_search search;
  search.rebuild(snap);
  auto before = search.find(query("чайник"));
  REQUIRE(ids(before) == std::vector<std::string>{"p-5"});
  // Renamed: found by its new title only.
  auto kettle = shop[4];
  kettle.title = "Самовар";
  search.put(kettle, snap);
  CHECK(search.find(query("чайник")).total == 0);
  CHECK(ids(search.find(query("самовар"))) == std::vector<std::string>{"p-5"});
  // A new product is found beside the old ones, ranked with them.
  search.put({"p-6", "Платье миди", "", "c-dress", 1000, 60}, snap);
  auto dresses = search.find(query("платье"));
  CHECK(ids(dresses) == std::vector<std::string>{"p-1", "p-3", "p-6", "p-2"});
  CHECK(dresses.total == 4);
  // What an earlier search found stays readable after later changes.
  CHECK(*before.hits.front().id == "p-5");
}

TEST_CASE("a suggestion is kept until the indexed products change, and one "
          "made before a change is not kept") {
  auto snap = snapshot_of(shop);
  berry::catalog_search search;
  search.rebuild(snap);
  CHECK_FALSE(search.suggestion("плотье"));
  auto g = search.generation();
  search.remember("плотье", "платье", g);
  CHECK(search.suggestion("плотье") == std::optional<std::string>{"платье"});
  search.remember("звездолет", "", g); // nothing near: kept as such
  CHECK(search.suggestion("звездолет") == std::optional<std::string>{""});
  // A product changes: everything kept is forgotten.
  search.put({"p-6", "Звездолет", "", "c-dress", 1000, 60}, snap);
  CHECK(search.generation() != g);
  CHECK_FALSE(search.suggestion("плотье"));
  CHECK_FALSE(search.suggestion("звездолет"));
  // Made from the database before that change: stale, not kept.
  search.remember("плотье", "платье", g);
  CHECK_FALSE(search.suggestion("плотье"));
  search.remember("плотье", "платье", search.generation());
  CHECK(search.suggestion("плотье"));
}

namespace {

const std::vector<berry::category> tree = {{"c-women", "Женщинам", "", 0},
                                           {"c-dress", "Платья", "c-women", 0},
                                           {"c-bags", "Сумки", "c-women", 1},
                                           {"c-shoes", "Обувь", "", 1},
                                           {"c-home", "Дом", "", 2}};

berry::search_query listing(const std::string& category, search_order order,
                            size_t keep = 20) {
  berry::search_query q;
  q.category = category;
  q.order = order;
  q.keep = keep;
  return q;
}

} // namespace

TEST_CASE("a listing reads a category's products in each order") {
  berry::search_index index{pointers(shop), tree};
  auto all = index.list(listing("", search_order::relevance), nullptr, {});
  CHECK(ids(all) ==
        std::vector<std::string>{"p-1", "p-2", "p-3", "p-4", "p-5"});
  CHECK(all.total == 5);
  // A category holds its subcategories' products.
  auto women =
      index.list(listing("c-women", search_order::price_asc), nullptr, {});
  CHECK(ids(women) == std::vector<std::string>{"p-2", "p-1", "p-3"});
  CHECK(women.total == 3);
  CHECK(ids(index.list(listing("c-women", search_order::price_desc), nullptr,
                       {})) == std::vector<std::string>{"p-3", "p-1", "p-2"});
  CHECK(ids(index.list(listing("", search_order::newest, 2), nullptr, {})) ==
        std::vector<std::string>{"p-5", "p-4"});
  CHECK(ids(index.list(listing("", search_order::title, 3), nullptr, {})) ==
        std::vector<std::string>{"p-4", "p-1", "p-3"});
  CHECK(index.list(listing("c-nowhere", search_order::relevance), nullptr, {})
            .total == 0);
}

TEST_CASE("a listing's price range is exact, and equal prices go by id") {
  std::vector<product> same = shop;
  same[0].price = 500000; // p-1 now costs what p-4 does
  berry::search_index index{pointers(same), tree};
  auto q = listing("", search_order::price_desc, 2);
  q.min_price = 200000;
  q.max_price = 600000;
  auto page = index.list(q, nullptr, {});
  CHECK(ids(page) == std::vector<std::string>{"p-1", "p-4"});
  CHECK(page.total == 2);
  q.order = search_order::relevance;
  q.keep = 1;
  page = index.list(q, nullptr, {});
  CHECK(ids(page) == std::vector<std::string>{"p-1"});
  CHECK(page.total == 2);
}

TEST_CASE("the catalog's listing shows a repriced or new product at once") {
  auto snap = snapshot_of(shop, tree);
  berry::catalog_search search;
  search.rebuild(snap);
  auto bag = shop[1];
  bag.price = 950000;
  search.put(bag, snap);
  search.put({"p-0", "Платье макси", "", "c-dress", 100, 70}, snap);
  auto women = search.list(listing("c-women", search_order::price_asc));
  CHECK(ids(women) == std::vector<std::string>{"p-0", "p-1", "p-3", "p-2"});
  CHECK(women.total == 4);
  auto q = listing("c-women", search_order::price_asc);
  q.max_price = 900000;
  CHECK(search.list(q).total == 3);
  std::map<std::string, std::string> titles;
  for (auto& p : shop)
    titles[p.id] = p.title;
  q = listing("", search_order::title, 3);
  q.title_of = [&](const std::string& id) -> const std::string* {
    auto i = titles.find(id);
    return i == titles.end() ? nullptr : &i->second;
  };
  CHECK(ids(search.list(q)) == std::vector<std::string>{"p-4", "p-1", "p-0"});
}
