// search_index::find: the terms each query word stands for, their documents
// (scored BM25-style without length normalisation), the documents every word
// has, the filters, and the best page.

#include <algorithm>
#include <cmath>

#include "actors/search_index.hpp"
#include "storage/russian_words.hpp"

namespace berry {

/// One query word's documents, by document number, with their scores.
struct search_index::word_match {
  std::vector<std::pair<uint32_t, float>> docs;
};

namespace {

// A word whose terms have more runs than this, with more postings than
// dense_above, is scored into a dense array; fewer runs (each in document
// order) are merged.
constexpr std::size_t merge_runs = 32;
constexpr std::size_t dense_above = 65'536;

float term_idf(std::size_t docs, std::size_t df) {
  auto n = static_cast<double>(docs), d = static_cast<double>(df);
  return static_cast<float>(std::log(1.0 + (n - d + 0.5) / (d + 0.5)));
}

void add_prefix(const std::vector<std::string>& terms, const std::string& p,
                std::vector<uint32_t>& out) {
  if (p.empty())
    return;
  for (auto i = std::lower_bound(terms.begin(), terms.end(), p);
       i != terms.end() && i->compare(0, p.size(), p) == 0; ++i)
    out.push_back(static_cast<uint32_t>(i - terms.begin()));
}

} // namespace

std::vector<uint32_t> search_index::terms_of(const std::string& word) const {
  // As to_fts_query: the word's stem (so every form matches), or the word as
  // typed as the start of an indexed stem, or the stem without a fleeting
  // vowel as a start («кроссовок» finds «кроссовки»).
  std::vector<uint32_t> ts;
  auto stem = storage::stem_word(word);
  if (auto i = std::lower_bound(terms_.begin(), terms_.end(), stem);
      i != terms_.end() && *i == stem)
    ts.push_back(static_cast<uint32_t>(i - terms_.begin()));
  add_prefix(terms_, word, ts);
  add_prefix(terms_, storage::without_fleeting_vowel(stem), ts);
  std::sort(ts.begin(), ts.end());
  ts.erase(std::unique(ts.begin(), ts.end()), ts.end());
  return ts;
}

std::pair<uint32_t, uint32_t> search_index::run_below(uint32_t r,
                                                      uint32_t below) const {
  auto first = post_docs_.begin() + run_start_[r];
  auto last = post_docs_.begin() + run_start_[r + 1];
  return {run_start_[r],
          static_cast<uint32_t>(std::lower_bound(first, last, below) -
                                post_docs_.begin())};
}

search_index::word_match
search_index::match_terms(const std::vector<uint32_t>& ts, uint32_t below,
                          const search_index* also) const {
  word_match m;
  std::size_t postings = 0, runs = 0;
  for (auto t : ts) {
    postings += postings_of(t);
    runs += term_runs_[t + 1] - term_runs_[t];
  }
  std::vector<float> dense;
  bool use_dense = runs > merge_runs && postings > dense_above;
  if (use_dense)
    dense.assign(below, 0.0f);
  m.docs.reserve(use_dense ? 0 : postings);
  std::vector<std::size_t> segments{0};
  for (auto t : ts) {
    auto weight = idf(t, also);
    for (auto r = term_runs_[t]; r < term_runs_[t + 1]; ++r) {
      auto score = posting_score(weight, run_weight_[r]);
      auto [first, last] = run_below(r, below);
      for (auto i = first; i < last; ++i) {
        auto d = post_docs_[i];
        if (use_dense)
          dense[d] = std::max(dense[d], score);
        else
          m.docs.emplace_back(d, score);
      }
      segments.push_back(m.docs.size());
    }
  }
  if (use_dense) {
    for (uint32_t d = 0; d < below; ++d)
      if (dense[d] > 0)
        m.docs.emplace_back(d, dense[d]);
  } else if (segments.size() > 2) {
    // Each run's documents are in order: merge neighbours until one run is
    // left, then keep each document once, at its best score.
    auto at = [&](std::size_t i) { return m.docs.begin() + segments[i]; };
    while (segments.size() > 2) {
      std::vector<std::size_t> next{0};
      for (std::size_t i = 0; i + 1 < segments.size(); i += 2) {
        if (i + 2 < segments.size()) {
          std::inplace_merge(at(i), at(i + 1), at(i + 2));
          next.push_back(segments[i + 2]);
        } else {
          next.push_back(segments[i + 1]);
        }
      }
      segments = std::move(next);
    }
    std::size_t out = 0;
    for (auto& [doc, score] : m.docs) {
      if (out > 0 && m.docs[out - 1].first == doc)
        m.docs[out - 1].second = std::max(m.docs[out - 1].second, score);
      else
        m.docs[out++] = {doc, score};
    }
    m.docs.resize(out);
  }
  return m;
}

float search_index::idf(uint32_t t, const search_index* also) const {
  std::size_t df = postings_of(t), docs = ids_.size();
  if (also) {
    df += also->df(terms_[t]);
    docs += also->size();
  }
  return term_idf(docs, df);
}

std::size_t search_index::df(const std::string& term) const {
  auto i = std::lower_bound(terms_.begin(), terms_.end(), term);
  if (i == terms_.end() || *i != term)
    return 0;
  return postings_of(static_cast<uint32_t>(i - terms_.begin()));
}

search_hit search_index::key_of(uint32_t doc, float score,
                                const search_query& q) const {
  search_hit key;
  key.doc = doc;
  key.score = score;
  if (q.order == search_order::price_asc || q.order == search_order::price_desc)
    key.price = price_[doc];
  else if (q.order == search_order::newest)
    key.created_at = created_at_[doc];
  else if (q.order == search_order::title && !title_rank_.empty())
    key.title_rank = title_rank_[doc];
  return key;
}

search_matches
search_index::find(const search_query& q, const std::vector<bool>* hidden,
                   const search_index* also,
                   const std::vector<uint32_t>* hidden_docs) const {
  search_matches out;
  if (q.words.empty() || ids_.empty())
    return out;
  // A word whose forms are in too many documents is read only below a
  // document number; the count is then scaled up to the whole catalog.
  auto n = static_cast<uint32_t>(ids_.size());
  uint32_t below = n;
  std::vector<std::vector<uint32_t>> terms;
  for (auto& w : q.words) {
    auto& ts = terms.emplace_back(terms_of(w));
    std::size_t postings = 0;
    for (auto t : ts)
      postings += postings_of(t);
    if (postings > work_bound_) {
      auto share = static_cast<uint32_t>(uint64_t{n} * work_bound_ / postings);
      below = std::min(below, std::max<uint32_t>(share, 1));
    }
  }
  // A count of the documents below `below` scaled up to the whole index.
  auto extrapolated = [&](search_matches& m) {
    if (below < n) {
      m.estimate = true;
      m.total = static_cast<int64_t>(static_cast<double>(m.total) * n / below);
    }
    return std::move(m);
  };
  if (!q.plain && terms.size() == 1 && q.order == search_order::relevance &&
      !q.categories && !q.min_price && !q.max_price) {
    find_top(terms.front(), below, hidden, hidden_docs, also, q.keep, out);
    return extrapolated(out);
  }
  if (!q.plain && terms.size() == 1 &&
      find_by_listing(terms.front(), below, q, hidden, hidden_docs, also, out))
    return extrapolated(out);
  auto allowed = allowed_categories(q);
  best_hits best{q.order, q.keep, false};
  int64_t count = 0;
  auto visit = [&](uint32_t doc, float score) {
    if (hidden && doc < hidden->size() && (*hidden)[doc])
      return;
    if (q.categories && !allowed[category_[doc]])
      return;
    if (!priced(doc, q))
      return;
    ++count;
    // Most matches do not make the page: compare by the order's own key
    // first, and read the rest of the product only for one that does.
    if (best.wants(key_of(doc, score, q)))
      best.offer(hit(doc, score));
  };
  if (terms.size() == 1 && terms.front().size() == 1) {
    // One word in one form (the usual query): straight from its runs.
    auto t = terms.front().front();
    auto weight = idf(t, also);
    for (auto r = term_runs_[t]; r < term_runs_[t + 1]; ++r) {
      auto score = posting_score(weight, run_weight_[r]);
      auto [first, last] = run_below(r, below);
      for (auto i = first; i < last; ++i)
        visit(post_docs_[i], score);
    }
  } else {
    // The rarest word's documents, then the others' among them.
    auto postings = [&](const std::vector<uint32_t>& ts) {
      std::size_t n = 0;
      for (auto t : ts)
        n += postings_of(t);
      return n;
    };
    std::sort(terms.begin(), terms.end(),
              [&](auto& a, auto& b) { return postings(a) < postings(b); });
    // Other words whose every term has a bitmap filter the first word's
    // documents as they are read.
    std::vector<const std::vector<uint32_t>*> filters;
    for (std::size_t i = 1; i < terms.size() && !q.plain; ++i)
      if (all_bitmapped(terms[i]))
        filters.push_back(&terms[i]);
    auto found = filters.empty()
                     ? match_terms(terms.front(), below, also).docs
                     : match_filtered(terms.front(), below, filters, also);
    for (std::size_t i = 1; i < terms.size() && !found.empty(); ++i)
      intersect_runs(found, terms[i], also, q.plain);
    for (auto [doc, score] : found)
      visit(doc, score);
  }
  out.hits = best.take();
  out.total = count;
  return extrapolated(out);
}

} // namespace berry
