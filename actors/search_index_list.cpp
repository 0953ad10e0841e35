// search_index's listings: every category's products ordered by id, price,
// date and title, made with the index, so that a page of a category reads
// only the products up to it and a price range is two binary searches.

#include <algorithm>
#include <numeric>

#include "actors/search_index.hpp"

namespace berry {

void search_index::order_listings(const std::vector<const product*>& docs,
                                  const std::vector<category>& categories) {
  for (auto& c : categories)
    parent_of_[c.id] = c.parent_id;
  auto n = static_cast<uint32_t>(docs.size());
  std::vector<uint32_t> by_title(n);
  std::iota(by_title.begin(), by_title.end(), 0u);
  std::sort(by_title.begin(), by_title.end(), [&](uint32_t a, uint32_t b) {
    return docs[a]->title != docs[b]->title ? docs[a]->title < docs[b]->title
                                            : a < b;
  });
  title_rank_.resize(n);
  for (uint32_t i = 0; i < n; ++i)
    title_rank_[by_title[i]] = i;
  listings_[""].by_id.reserve(n);
  for (uint32_t doc = 0; doc < n; ++doc) {
    listings_[""].by_id.push_back(doc);
    // The category and its ancestors (a cycle stops after 16 steps).
    std::string c = categories_[category_[doc]];
    for (int depth = 0; !c.empty() && depth < 16; ++depth) {
      listings_[c].by_id.push_back(doc);
      auto up = parent_of_.find(c);
      c = up == parent_of_.end() ? std::string{} : up->second;
    }
  }
  for (auto& [id, l] : listings_) {
    l.by_price = l.by_newest = l.by_title = l.by_id;
    std::stable_sort(l.by_price.begin(), l.by_price.end(),
                     [&](auto a, auto b) { return price_[a] < price_[b]; });
    std::stable_sort(
        l.by_newest.begin(), l.by_newest.end(),
        [&](auto a, auto b) { return created_at_[a] > created_at_[b]; });
    std::sort(l.by_title.begin(), l.by_title.end(),
              [&](auto a, auto b) { return title_rank_[a] < title_rank_[b]; });
  }
}

bool search_index::in_category(uint32_t doc, const std::string& c) const {
  if (c.empty())
    return true;
  std::string at = categories_[category_[doc]];
  for (int depth = 0; !at.empty() && depth < 16; ++depth) {
    if (at == c)
      return true;
    auto up = parent_of_.find(at);
    at = up == parent_of_.end() ? std::string{} : up->second;
  }
  return false;
}

std::vector<bool>
search_index::allowed_categories(const search_query& q) const {
  std::vector<bool> allowed;
  if (q.categories) {
    allowed.resize(categories_.size());
    for (std::size_t c = 0; c < categories_.size(); ++c)
      allowed[c] = q.categories->count(categories_[c]) > 0;
  }
  return allowed;
}

search_hit search_index::hit(uint32_t doc, float score) const {
  search_hit h;
  h.id = &ids_[doc];
  h.doc = doc;
  h.score = score;
  h.price = price_[doc];
  h.created_at = created_at_[doc];
  h.title_rank = title_rank_.empty() ? 0 : title_rank_[doc];
  return h;
}

std::pair<search_index::doc_iter, search_index::doc_iter>
search_index::price_range(const ordered& l, const search_query& q) const {
  auto cheaper = [&](uint32_t doc, int64_t p) { return price_[doc] < p; };
  auto dearer = [&](int64_t p, uint32_t doc) { return p < price_[doc]; };
  auto first = l.by_price.begin(), last = l.by_price.end();
  if (q.min_price)
    first = std::lower_bound(first, last, *q.min_price, cheaper);
  if (q.max_price)
    last = std::upper_bound(first, last, *q.max_price, dearer);
  return {first, last};
}

void search_index::walk_listing(
    const ordered& l, const search_query& q, doc_iter first, doc_iter last,
    const std::function<bool(uint32_t)>& take) const {
  auto cheaper = [&](uint32_t doc, int64_t p) { return price_[doc] < p; };
  switch (q.order) {
  case search_order::price_asc:
    for (auto i = first; i != last && take(*i); ++i) {
    }
    break;
  case search_order::price_desc:
    // Dearest first; equal prices by id, as everywhere.
    for (auto end = last; end != first;) {
      auto start = std::lower_bound(first, end, price_[*(end - 1)], cheaper);
      bool more = true;
      for (auto i = start; i != end && (more = take(*i)); ++i) {
      }
      if (!more)
        break;
      end = start;
    }
    break;
  case search_order::newest:
    for (auto i = l.by_newest.begin(); i != l.by_newest.end() && take(*i);
         ++i) {
    }
    break;
  case search_order::title:
    for (auto i = l.by_title.begin(); i != l.by_title.end() && take(*i); ++i) {
    }
    break;
  case search_order::relevance:
  case search_order::none:
    for (auto i = l.by_id.begin(); i != l.by_id.end() && take(*i); ++i) {
    }
    break;
  }
}

search_matches
search_index::list(const search_query& q, const std::vector<bool>* hidden,
                   const std::vector<uint32_t>& hidden_docs) const {
  search_matches out;
  auto found = listings_.find(q.category);
  if (found == listings_.end())
    return out;
  auto& l = found->second;
  auto [first, last] = price_range(l, q);
  out.total = last - first;
  for (auto doc : hidden_docs)
    if (doc < ids_.size() && in_category(doc, q.category) && priced(doc, q))
      --out.total;
  if (q.keep == 0)
    return out;
  // Takes `doc` unless it is hidden or outside the prices; false once the
  // page is full.
  walk_listing(l, q, first, last, [&](uint32_t doc) {
    if ((hidden && doc < hidden->size() && (*hidden)[doc]) || !priced(doc, q))
      return true;
    out.hits.push_back(hit(doc, 0));
    return out.hits.size() < q.keep;
  });
  return out;
}

} // namespace berry
