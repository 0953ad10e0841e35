// search_index::find_by_listing: one query word with a category or a price
// range, or in an order other than relevance, answered from the category's
// listings (search_index_list.cpp) instead of reading each match's category
// and price, a cache miss each. The word's documents become a bit each; the
// count walks the listing (only its price range, when there is one) testing
// bits; a page by price, date or title is the listing's first documents
// whose bit is set; a page by relevance reads the word's runs best first,
// checking category and price, until nothing later can make the page.

#include <algorithm>

#include "actors/search_index.hpp"

namespace berry {

namespace {

/// A random read of a match's columns costs about this many steps of a
/// count along a listing,
constexpr double random_read_cost = 12;
/// and this many steps of a walk for a page (each step a call).
constexpr double page_step_cost = 3;

bool bit(const std::vector<uint64_t>& bits, uint32_t doc) {
  return (bits[doc >> 6] >> (doc & 63)) & 1;
}

void clear_bit(std::vector<uint64_t>& bits, uint32_t doc) {
  bits[doc >> 6] &= ~(uint64_t{1} << (doc & 63));
}

} // namespace

bool search_index::find_by_listing(const std::vector<uint32_t>& ts,
                                   uint32_t below, const search_query& q,
                                   const std::vector<bool>* hidden,
                                   const std::vector<uint32_t>* hidden_docs,
                                   const search_index* also,
                                   search_matches& out) const {
  if (q.categories && q.category.empty())
    return false; // categories without a listing: read each match's
  auto found = listings_.find(q.category);
  if (found == listings_.end())
    return false;
  const auto& l = found->second;
  bool by_relevance =
      q.order == search_order::relevance || q.order == search_order::none;
  bool filtered = !q.category.empty() || q.min_price || q.max_price;
  if (by_relevance && !filtered)
    return false; // find_top's
  std::size_t postings = 0;
  for (auto t : ts)
    for (auto r = term_runs_[t]; r < term_runs_[t + 1]; ++r) {
      auto [first, last] = run_below(r, below);
      postings += last - first;
    }
  auto [first, last] = price_range(l, q);
  auto range = static_cast<double>(last - first);
  // What the walks would read, against a random read per match.
  double walk = filtered ? range : 0;
  if (!by_relevance && postings > 0)
    walk += std::min(static_cast<double>(l.by_id.size()),
                     static_cast<double>(q.keep) * below / postings) *
            random_read_cost / page_step_cost;
  if (walk > random_read_cost * static_cast<double>(postings))
    return false;

  thread_local std::vector<uint64_t> bits;
  bits.assign((below + 63) / 64, 0);
  int64_t set = 0; // documents with their bit set
  for (auto t : ts)
    for (auto r = term_runs_[t]; r < term_runs_[t + 1]; ++r) {
      auto [first, last] = run_below(r, below);
      for (auto i = first; i < last; ++i) {
        auto& w = bits[post_docs_[i] >> 6];
        auto b = uint64_t{1} << (post_docs_[i] & 63);
        set += (w & b) == 0;
        w |= b;
      }
    }
  if (hidden_docs)
    for (auto doc : *hidden_docs)
      if (doc < below && bit(bits, doc)) {
        clear_bit(bits, doc);
        --set;
      }
  auto member = [&](uint32_t doc) {
    return doc < below && bit(bits, doc) &&
           (hidden_docs || !hidden || doc >= hidden->size() || !(*hidden)[doc]);
  };

  // The count.
  int64_t count = 0;
  if (q.min_price || q.max_price) {
    for (auto i = first; i != last; ++i)
      count += member(*i);
  } else if (filtered) {
    for (auto doc : l.by_id)
      count += member(doc);
  } else if (hidden && !hidden_docs) {
    for (uint32_t doc = 0; doc < below; ++doc)
      count += member(doc);
  } else {
    count = set;
  }
  out.total = count;
  if (q.keep == 0)
    return true;

  // The page.
  auto allowed = allowed_categories(q);
  auto in_filter = [&](uint32_t doc) {
    return (!q.categories || allowed[category_[doc]]) && priced(doc, q);
  };
  if (!by_relevance) {
    // Along the listing while the matches are dense enough there; past
    // the budget, every match is read instead.
    auto budget = static_cast<std::size_t>(
        std::max(4.0 * static_cast<double>(q.keep),
                 page_step_cost * static_cast<double>(postings)));
    std::size_t steps = 0;
    walk_listing(l, q, first, last, [&](uint32_t doc) {
      if (++steps > budget)
        return false;
      if (member(doc) && priced(doc, q))
        out.hits.push_back(hit(doc, 0));
      return out.hits.size() < q.keep;
    });
    if (steps <= budget)
      return true;
    out.hits.clear();
    best_hits best{q.order, q.keep, false};
    for (std::size_t w = 0; w < bits.size(); ++w)
      for (auto word = bits[w]; word != 0; word &= word - 1) {
        auto doc = static_cast<uint32_t>(w * 64 + __builtin_ctzll(word));
        if (member(doc) && in_filter(doc) && best.wants(key_of(doc, 0, q)))
          best.offer(hit(doc, 0));
      }
    out.hits = best.take();
    return true;
  }
  // Every run of the word's terms, best score first; a document in runs of
  // several terms takes the first (best) and its bit is cleared.
  std::vector<std::pair<float, uint32_t>> runs;
  for (auto t : ts) {
    auto weight = idf(t, also);
    for (auto r = term_runs_[t]; r < term_runs_[t + 1]; ++r)
      runs.emplace_back(posting_score(weight, run_weight_[r]), r);
  }
  std::stable_sort(runs.begin(), runs.end(),
                   [](auto& a, auto& b) { return a.first > b.first; });
  best_hits best{q.order, q.keep, false};
  for (auto [score, r] : runs) {
    search_hit first_doc;
    first_doc.score = score;
    if (!best.wants(first_doc))
      break; // this run's best candidate would not make the page
    auto [from, to] = run_below(r, below);
    for (auto i = from; i < to; ++i) {
      auto doc = post_docs_[i];
      if (!member(doc))
        continue;
      clear_bit(bits, doc);
      if (!in_filter(doc))
        continue;
      search_hit key;
      key.doc = doc;
      key.score = score;
      if (!best.wants(key))
        break; // the run's later documents come after this one
      best.offer(hit(doc, score));
    }
  }
  out.hits = best.take();
  return true;
}

} // namespace berry
