#include "http/product_listing.hpp"

#include <algorithm>
#include <unordered_set>

#include <nlohmann/json.hpp>

#include "storage/search.hpp"

namespace berry::http {

namespace {

// A candidate with its place in the search ranking (or catalog order).
struct hit {
  const rendered_product* p;
  size_t rank;
};

bool keep(const products_query& q,
          const std::unordered_set<std::string>* subtree, const product& p) {
  if (!q.category.empty() && (!subtree || !subtree->count(p.category_id)))
    return false;
  if (q.min_price && p.price < *q.min_price)
    return false;
  if (q.max_price && p.price > *q.max_price)
    return false;
  return true;
}

void order(std::vector<hit>& hits, sort_order s, const units_by_id* sold) {
  auto item = [](const hit& h) -> const product& { return h.p->entry->item; };
  auto by = [&](auto key) {
    std::sort(hits.begin(), hits.end(), [&](const hit& a, const hit& b) {
      const auto& ka = key(item(a));
      const auto& kb = key(item(b));
      if (ka != kb)
        return ka < kb;
      return item(a).id < item(b).id;
    });
  };
  switch (s) {
  case sort_order::relevance:
    std::sort(hits.begin(), hits.end(),
              [](const hit& a, const hit& b) { return a.rank < b.rank; });
    break;
  case sort_order::price_asc:
    by([](const product& p) { return p.price; });
    break;
  case sort_order::price_desc:
    by([](const product& p) { return -p.price; });
    break;
  case sort_order::newest:
    by([](const product& p) { return -p.created_at; });
    break;
  case sort_order::title:
    by([](const product& p) -> const std::string& { return p.title; });
    break;
  case sort_order::popular:
    by([sold](const product& p) -> int64_t {
      if (!sold)
        return 0;
      auto it = sold->find(p.id);
      return it == sold->end() ? 0 : -it->second;
    });
    break;
  }
}

} // namespace

product_page list_products(const rendered_catalog& cat, const products_query& q,
                           const std::vector<std::string>* ranked_ids,
                           const units_by_id* units_sold) {
  const std::unordered_set<std::string>* subtree = nullptr;
  if (!q.category.empty())
    if (auto i = cat.subtrees.find(q.category); i != cat.subtrees.end())
      subtree = &i->second;
  std::vector<hit> hits;
  if (ranked_ids) {
    std::unordered_set<const rendered_product*> seen;
    for (auto& id : *ranked_ids) {
      auto p = cat.find(id);
      if (p && seen.insert(p).second && keep(q, subtree, p->entry->item))
        hits.push_back({p, hits.size()});
    }
  } else {
    // Catalog order is product id order, so relevance without q is by id.
    for (auto& p : cat.products)
      if (keep(q, subtree, p->entry->item))
        hits.push_back({p.get(), hits.size()});
  }
  order(hits, q.sort, units_sold);
  product_page out;
  out.page = q.page;
  out.page_size = q.page_size;
  out.total = static_cast<int64_t>(hits.size());
  auto first =
      static_cast<uint64_t>(q.page - 1) * static_cast<uint64_t>(q.page_size);
  auto last = first + static_cast<uint64_t>(q.page_size);
  for (auto i = first; i < hits.size() && i < last; ++i)
    out.items.push_back(hits[i].p);
  return out;
}

product_page page_of_matches(const rendered_catalog& cat,
                             const products_query& q,
                             const search_matches& found) {
  product_page out;
  out.page = q.page;
  out.page_size = q.page_size;
  out.total = found.total;
  out.total_is_estimate = found.estimate;
  auto first =
      static_cast<uint64_t>(q.page - 1) * static_cast<uint64_t>(q.page_size);
  for (auto i = first; i < found.hits.size() && i < first + q.page_size; ++i)
    if (auto p = cat.find(*found.hits[i].id))
      out.items.push_back(p);
  return out;
}

search_query search_query_of(const rendered_catalog& cat,
                             const products_query& q) {
  static const std::unordered_set<std::string> no_category;
  search_query s;
  s.words = search_words(q.q, storage::max_query_words);
  s.category = q.category;
  if (!q.category.empty()) {
    auto i = cat.subtrees.find(q.category);
    s.categories = i == cat.subtrees.end() ? &no_category : &i->second;
  }
  s.min_price = q.min_price;
  s.max_price = q.max_price;
  s.keep =
      static_cast<std::size_t>(q.page) * static_cast<std::size_t>(q.page_size);
  s.title_of = [&cat](const std::string& id) -> const std::string* {
    auto p = cat.find(id);
    return p ? &p->entry->item.title : nullptr;
  };
  switch (q.sort) {
  case sort_order::relevance:
    s.order = search_order::relevance;
    break;
  case sort_order::price_asc:
    s.order = search_order::price_asc;
    break;
  case sort_order::price_desc:
    s.order = search_order::price_desc;
    break;
  case sort_order::newest:
    s.order = search_order::newest;
    break;
  case sort_order::title:
    s.order = search_order::title;
    break;
  case sort_order::popular:
    // By sales, which the database knows: every match, ordered later.
    s.order = search_order::relevance;
    s.keep = SIZE_MAX;
    break;
  }
  return s;
}

std::string render_page(const product_page& p) {
  std::string out = "{\"items\":[";
  for (size_t i = 0; i < p.items.size(); ++i) {
    if (i > 0)
      out += ',';
    p.items[i]->append_json(out);
  }
  out += "],\"page\":" + std::to_string(p.page) +
         ",\"page_size\":" + std::to_string(p.page_size) +
         ",\"total\":" + std::to_string(p.total);
  if (p.total_is_estimate)
    out += ",\"total_is_estimate\":true";
  if (!p.suggestion.empty())
    out += ",\"suggestion\":" + nlohmann::json(p.suggestion).dump();
  out += '}';
  return out;
}

} // namespace berry::http
