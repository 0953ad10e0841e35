// Two or more words where one is common: the common word's bitmap says which
// of the other's documents have it. The quick way must find what the plain
// way (every match read and scored) finds: the same page, scores and total.

#include <catch2/catch.hpp>
#include <random>

#include "actors/search_index.hpp"

namespace {

using berry::product;

std::vector<product> catalog(std::size_t n) {
  // «черн» in about a third of the products in several forms and weights,
  // «платье» in a fifth, «вечернее», «шелк» and «шелковое» in a few.
  const char* colours[] = {"черное", "черный", "черная", "чернее"};
  std::mt19937 rng(7);
  std::vector<product> out;
  for (std::size_t i = 0; i < n; ++i) {
    std::string title = i % 5 == 0 ? "Платье " : "Юбка ", description;
    if (rng() % 3 == 0)
      (rng() % 2 ? title : description) +=
          std::string(colours[rng() % 4]) + " ";
    if (rng() % 4 == 0)
      description += std::string(colours[rng() % 4]) + " черное ";
    if (rng() % 40 == 0)
      title += "вечернее ";
    // «шел» stands for «шелк» and «шелков», often in one product.
    if (rng() % 30 == 0)
      description += rng() % 2 ? "шелк платье " : "шелк ";
    if (rng() % 50 == 0 || description.find("шелк") != std::string::npos)
      title += "шелковое ";
    description += "хлопок";
    out.push_back({"p-" + std::to_string(100000 + i), title, description,
                   "c-dress", int64_t(i) * 100, int64_t(i)});
  }
  return out;
}

} // namespace

TEST_CASE("a common word beside a rarer one is asked of its bitmap, and the "
          "search finds what reading every match finds") {
  auto many = catalog(4000);
  std::vector<const product*> docs;
  for (auto& p : many)
    docs.push_back(&p);
  berry::search_index index{docs};
  CHECK(index.bitmaps() > 0);
  std::vector<bool> hidden(many.size());
  std::vector<uint32_t> hidden_docs;
  for (uint32_t d = 0; d < hidden.size(); d += 29) {
    hidden[d] = true;
    hidden_docs.push_back(d);
  }
  for (bool hiding : {false, true})
    for (std::string text :
         {"вечернее черное", "черное вечернее", "шелк черн", "вечернее черн",
          "платье черное", "вечернее платье черное", "шелк хлопок черное",
          "юбка вечернее черная", "шел черное", "шел платье черн"})
      for (std::size_t keep : {1, 20, 5000}) {
        CAPTURE(text, keep, hiding);
        berry::search_query q;
        q.words = berry::search_words(text);
        q.keep = keep;
        auto plain = q;
        plain.plain = true;
        auto* h = hiding ? &hidden : nullptr;
        auto* list = hiding ? &hidden_docs : nullptr;
        auto quick = index.find(q, h, nullptr, list);
        auto slow = index.find(plain, h, nullptr, list);
        CHECK(quick.total == slow.total);
        CHECK(quick.total > 0);
        REQUIRE(quick.hits.size() == slow.hits.size());
        for (std::size_t i = 0; i < quick.hits.size(); ++i) {
          CHECK(*quick.hits[i].id == *slow.hits[i].id);
          CHECK(quick.hits[i].score == slow.hits[i].score);
        }
      }
}
