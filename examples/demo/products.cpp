#include "examples/demo/products.hpp"

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "examples/demo/demo_files.hpp"
#include "examples/demo/lexicon.hpp"

// How the products are made: every leaf category has a few item kinds
// (item_kinds.json); a kind is a title pattern, a price range, a domain and
// a sentence about the material and use, written with the word tables
// (words.json, see lexicon.hpp). The domain adds an optional feature
// sentence (`feat_<domain>`) and an optional care sentence (`care_<domain>`)
// from sentences.json.

namespace berry::demo {

namespace {

using nlohmann::json;

// A fixed clock, not the wall clock: the same seed must give the same data.
constexpr int64_t demo_epoch = 1793491200; // 2026-11-01T00:00:00Z
constexpr int64_t seconds_per_year = 365 * 86400;

/// One kind of item of a leaf category. Prices are in roubles.
struct item_kind {
  std::string category;
  std::string title;
  int64_t min_rub = 0;
  int64_t max_rub = 0;
  std::string domain;
  std::string about;
};

std::vector<item_kind> load_item_kinds() {
  std::vector<item_kind> kinds;
  for (const auto& k : json::parse(item_kinds_json()))
    kinds.push_back(item_kind{k.at("category"), k.at("title"), k.at("min_rub"),
                              k.at("max_rub"), k.at("domain"), k.at("about")});
  return kinds;
}

/// One to three sentences: the kind's own, then maybe a feature, then maybe
/// care or storage advice.
std::string describe(const item_kind& kind, const lexicon& words, demo_rng& rng,
                     choices& chosen) {
  auto text = words.fill(kind.about, rng, chosen);
  if (rng.chance(70))
    text += " " + words.fill("{feat_" + kind.domain + "}", rng, chosen);
  if (rng.chance(60))
    text += " " + words.fill("{care_" + kind.domain + "}", rng, chosen);
  return text;
}

/// A shop price in kopecks, in whole roubles ending in 90 (490, 1990,
/// 12990), now and then a round number; never above `max_rub`.
int64_t shop_price(int64_t min_rub, int64_t max_rub, demo_rng& rng) {
  auto rub = rng.between(min_rub, max_rub);
  int64_t step = rub < 1000 ? 50 : rub < 10000 ? 100 : 1000;
  rub = (rub / step + 1) * step;
  if (rng.chance(85))
    rub -= 10;
  if (rub > max_rub)
    rub -= step;
  return rub * 100;
}

bool is_leaf(const category& c, const std::vector<category>& all) {
  return std::none_of(all.begin(), all.end(),
                      [&](const category& x) { return x.parent_id == c.id; });
}

/// Adds `count` products of one leaf, cycling over its kinds so that every
/// kind shows up; a title already taken is drawn again.
void add_leaf_products(const std::string& leaf, size_t count,
                       const std::vector<item_kind>& all_kinds,
                       const lexicon& words, demo_rng& rng,
                       std::set<std::string>& titles,
                       std::vector<product>& out) {
  std::vector<const item_kind*> kinds;
  for (const auto& kind : all_kinds)
    if (kind.category == leaf)
      kinds.push_back(&kind);
  if (kinds.empty())
    throw std::logic_error("demo data: no item kinds for " + leaf);
  auto next_kind = rng.below(kinds.size());
  size_t made = 0;
  for (size_t tries = 0; made < count && tries < count * 40; ++tries) {
    const auto& kind = *kinds[next_kind % kinds.size()];
    choices chosen;
    auto title = words.fill(kind.title, rng, chosen);
    if (!titles.insert(title).second) {
      if (tries % 8 == 7)
        ++next_kind; // this kind is crowded: give the next one a turn
      continue;
    }
    product p;
    p.id = numbered_id("p-", out.size() + 1, 6);
    p.title = std::move(title);
    p.description = describe(kind, words, rng, chosen);
    p.category_id = leaf;
    p.price = shop_price(kind.min_rub, kind.max_rub, rng);
    p.created_at = demo_epoch - 1 - rng.between(0, seconds_per_year - 1);
    out.push_back(std::move(p));
    ++made;
    ++next_kind;
  }
}

} // namespace

std::string numbered_id(const char* prefix, size_t number, int width) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%s%0*zu", prefix, width, number);
  return buffer;
}

struct product_drawer::parts {
  lexicon words{words_json(), sentences_json()};
  std::vector<std::string> leaves;
  std::map<std::string, std::vector<item_kind>> kinds; // by leaf
};

product_drawer::product_drawer() : parts_(std::make_unique<parts>()) {
  for (auto& kind : load_item_kinds())
    parts_->kinds[kind.category].push_back(std::move(kind));
  for (const auto& c : make_categories())
    if (parts_->kinds.count(c.id))
      parts_->leaves.push_back(c.id);
}

product_drawer::~product_drawer() = default;

const std::vector<std::string>& product_drawer::leaves() const {
  return parts_->leaves;
}

product product_drawer::draw(const std::string& leaf, demo_rng& rng) const {
  const auto& kinds = parts_->kinds.at(leaf);
  const auto& kind = kinds[rng.below(kinds.size())];
  choices chosen;
  product p;
  p.title = parts_->words.fill(kind.title, rng, chosen);
  p.description = describe(kind, parts_->words, rng, chosen);
  p.category_id = leaf;
  p.price = shop_price(kind.min_rub, kind.max_rub, rng);
  return p;
}

std::vector<category> make_categories() {
  std::vector<category> result;
  std::map<std::string, int32_t> children; // parent id -> count so far
  for (const auto& row : json::parse(categories_json())) {
    auto& position = children[row.at("parent")];
    result.push_back(
        category{row.at("id"), row.at("name"), row.at("parent"), position++});
  }
  return result;
}

std::vector<product> make_products(const std::vector<category>& categories,
                                   demo_rng& rng) {
  lexicon words{words_json(), sentences_json()};
  auto kinds = load_item_kinds();
  std::set<std::string> titles;
  std::vector<product> result;
  for (const auto& c : categories)
    if (is_leaf(c, categories))
      add_leaf_products(c.id, 12 + rng.below(8), kinds, words, rng, titles,
                        result);
  return result;
}

} // namespace berry::demo
