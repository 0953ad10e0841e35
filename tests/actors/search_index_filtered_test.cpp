// A one-word search with a category, a price range or an order other than
// relevance (search_index_filtered.cpp reads the category's listings for
// it) finds exactly what filtering and ordering every match finds.

#include <algorithm>
#include <set>
#include <string>
#include <unordered_set>
#include <vector>

#include <catch2/catch.hpp>

#include "actors/search_index.hpp"

using berry::product;
using berry::search_order;

namespace {

const std::vector<berry::category> categories = {
    {"c-women", "Женщинам", "", 1},
    {"c-women-dresses", "Платья", "c-women", 1},
    {"c-women-bags", "Сумки", "c-women", 2},
    {"c-home", "Дом", "", 2},
};

/// 4,000 products of four categories; words of one stem family repeated a
/// varied number of times (ties of score), prices and dates with ties.
std::vector<product> catalog() {
  const std::vector<std::string> words = {"платье", "платья", "платок",
                                          "плащ",   "сумка",  "чайник"};
  const std::vector<std::string> cats = {"c-women", "c-women-dresses",
                                         "c-women-bags", "c-home"};
  std::vector<product> out;
  for (int i = 0; i < 4000; ++i) {
    std::string title, description;
    for (int k = 0; k <= i % 3; ++k)
      title += words[(i * 7 + k) % words.size()] + " ";
    for (int k = 0; k <= i % 4; ++k)
      description += words[(i * 13 + k * 5) % words.size()] + " ";
    out.push_back({"p-" + std::to_string(100000 + i), title, description,
                   cats[(i * 3 + i / 7) % cats.size()], (i * 37 % 500) * 100,
                   1'700'000'000 + (i * 11 % 300)});
  }
  return out;
}

/// The categories a listing of `c` holds.
std::set<std::string> subtree(const std::string& c) {
  std::set<std::string> out;
  for (auto& x : categories)
    if (x.id == c || x.parent_id == c)
      out.insert(x.id);
  return out;
}

} // namespace

TEST_CASE("a one-word search with a category, a price range or another order "
          "finds what filtering every match finds") {
  auto products = catalog();
  std::vector<const product*> ptrs;
  for (auto& p : products)
    ptrs.push_back(&p);
  berry::search_index index{ptrs, categories};
  auto by_id = [&](const std::string& id) -> const product& {
    return products[std::stoi(id.substr(2)) - 100000];
  };
  std::vector<bool> hidden(products.size());
  std::vector<uint32_t> hidden_docs;
  for (uint32_t d = 5; d < hidden.size(); d += 41) {
    hidden[d] = true;
    hidden_docs.push_back(d);
  }
  int listed = 0;
  for (int hiding = 0; hiding < 3; ++hiding)
    for (std::string word : {"платье", "плат", "пла", "чайник", "сумка"})
      for (std::string cat : {"", "c-women", "c-women-dresses", "c-home"})
        for (int priced = 0; priced < 2; ++priced)
          for (auto order : {search_order::relevance, search_order::price_asc,
                             search_order::price_desc, search_order::newest,
                             search_order::title})
            for (std::size_t keep : {1, 7, 20, 5000}) {
              CAPTURE(hiding, word, cat, priced, int(order), keep);
              auto* h = hiding > 0 ? &hidden : nullptr;
              auto* list = hiding > 1 ? &hidden_docs : nullptr;
              // Every match, by relevance, unfiltered: find_top's.
              berry::search_query all;
              all.words = {word};
              all.keep = 1'000'000;
              auto every = index.find(all, h, nullptr, list);
              // Filtered and ordered here.
              auto cats = subtree(cat);
              std::vector<berry::search_hit> want;
              for (auto& hit : every.hits) {
                auto& p = by_id(*hit.id);
                if ((!cat.empty() && !cats.count(p.category_id)) ||
                    (priced && (p.price < 10000 || p.price > 30000)))
                  continue;
                want.push_back(hit);
              }
              auto key = [&](const berry::search_hit& x) {
                auto& p = by_id(*x.id);
                switch (order) {
                case search_order::price_asc:
                  return std::make_pair(p.price, std::string{});
                case search_order::price_desc:
                  return std::make_pair(-p.price, std::string{});
                case search_order::newest:
                  return std::make_pair(-p.created_at, std::string{});
                case search_order::title:
                  return std::make_pair(int64_t{0}, p.title);
                default:
                  return std::make_pair(int64_t{0}, std::string{});
                }
              };
              std::stable_sort(want.begin(), want.end(), [&](auto& a, auto& b) {
                auto ka = key(a), kb = key(b);
                if (ka != kb)
                  return ka < kb;
                return order != search_order::relevance && *a.id < *b.id;
              });
              berry::search_query q = all;
              q.keep = keep;
              q.order = order;
              q.category = cat;
              std::unordered_set<std::string> allowed{cats.begin(), cats.end()};
              if (!cat.empty())
                q.categories = &allowed;
              if (priced) {
                q.min_price = 10000;
                q.max_price = 30000;
              }
              auto got = index.find(q, h, nullptr, list);
              REQUIRE(got.total == int64_t(want.size()));
              REQUIRE(got.hits.size() == std::min(keep, want.size()));
              for (std::size_t i = 0; i < got.hits.size(); ++i)
                CHECK(*got.hits[i].id == *want[i].id);
              listed += !want.empty();
            }
  // Most combinations found something.
  CHECK(listed > 1000);
}
