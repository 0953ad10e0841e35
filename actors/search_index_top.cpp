// The quick ways of search_index::find. find_top: the usual search (one
// word, by relevance, no filter) without scoring every match: a match's
// score depends only on its term and its weight, and a term's postings are
// runs of one weight, so the best page is in the first documents of the
// best-scoring runs. intersect_runs: a common word beside a rare one is
// sought in its runs for the rare one's documents, not read whole.

#include <algorithm>

#include "actors/search_index.hpp"

namespace berry {

std::size_t
search_index::count_docs(const std::vector<uint32_t>& ts, uint32_t below,
                         const std::vector<bool>* hidden,
                         const std::vector<uint32_t>* hidden_docs) const {
  auto is_hidden = [&](uint32_t doc) {
    return hidden && doc < hidden->size() && (*hidden)[doc];
  };
  if (ts.size() == 1 &&
      (!hidden || (hidden_docs && hidden_docs->size() <= 256))) {
    // One term has each document once: its postings, less the hidden ones
    // it has (few: looked up in its runs).
    auto t = ts.front();
    std::size_t n = 0;
    for (auto r = term_runs_[t]; r < term_runs_[t + 1]; ++r) {
      auto [first, last] = run_below(r, below);
      n += last - first;
      if (hidden)
        for (auto doc : *hidden_docs)
          n -= std::binary_search(post_docs_.begin() + first,
                                  post_docs_.begin() + last, doc);
    }
    return n;
  }
  // Terms may share documents: each is counted once, by a bit per document.
  thread_local std::vector<uint64_t> seen;
  seen.assign((below + 63) / 64, 0);
  std::size_t n = 0;
  for (auto t : ts)
    for (auto r = term_runs_[t]; r < term_runs_[t + 1]; ++r) {
      auto [first, last] = run_below(r, below);
      for (auto i = first; i < last; ++i) {
        auto doc = post_docs_[i];
        auto& word = seen[doc >> 6];
        auto bit = uint64_t{1} << (doc & 63);
        n += (word & bit) == 0 && !is_hidden(doc);
        word |= bit;
      }
    }
  return n;
}

void search_index::intersect_runs(
    std::vector<std::pair<uint32_t, float>>& found,
    const std::vector<uint32_t>& ts, const search_index* also) const {
  /// A run being read forward, and its score.
  struct cursor {
    uint32_t at = 0, last = 0;
    float score = 0;
  };
  std::vector<cursor> runs;
  std::size_t postings = 0;
  for (auto t : ts) {
    auto weight = idf(t, also);
    for (auto r = term_runs_[t]; r < term_runs_[t + 1]; ++r)
      runs.push_back({run_start_[r], run_start_[r + 1],
                      posting_score(weight, run_weight_[r])});
    postings += postings_of(t);
  }
  // The best score each found document has among the runs (-1: none).
  std::vector<float> best(found.size(), -1.0f);
  if (found.size() * runs.size() * 8 < postings) {
    // Few documents: each is sought in every run, galloping forward.
    for (auto& c : runs)
      for (std::size_t k = 0; k < found.size() && c.at < c.last; ++k) {
        auto doc = found[k].first;
        uint32_t step = 1, from = c.at;
        while (from + step < c.last && post_docs_[from + step] < doc) {
          from += step;
          step *= 2;
        }
        auto end = std::min<uint32_t>(from + step + 1, c.last);
        c.at = static_cast<uint32_t>(std::lower_bound(post_docs_.begin() + from,
                                                      post_docs_.begin() + end,
                                                      doc) -
                                     post_docs_.begin());
        if (c.at < c.last && post_docs_[c.at] == doc)
          best[k] = std::max(best[k], c.score);
      }
  } else {
    // Many: the runs are read whole, each posting tried against a bit per
    // found document.
    thread_local std::vector<uint64_t> is_found;
    is_found.assign((ids_.size() + 63) / 64, 0);
    for (auto& [doc, score] : found)
      is_found[doc >> 6] |= uint64_t{1} << (doc & 63);
    for (auto& c : runs)
      for (auto i = c.at; i < c.last; ++i) {
        auto doc = post_docs_[i];
        if (!(is_found[doc >> 6] & (uint64_t{1} << (doc & 63))))
          continue;
        auto k = static_cast<std::size_t>(
            std::lower_bound(
                found.begin(), found.end(), std::make_pair(doc, 0.0f),
                [](auto& a, auto& b) { return a.first < b.first; }) -
            found.begin());
        best[k] = std::max(best[k], c.score);
      }
  }
  std::size_t out = 0;
  for (std::size_t k = 0; k < found.size(); ++k)
    if (best[k] >= 0)
      found[out++] = {found[k].first, found[k].second + best[k]};
  found.resize(out);
}

void search_index::find_top(const std::vector<uint32_t>& ts, uint32_t below,
                            const std::vector<bool>* hidden,
                            const std::vector<uint32_t>* hidden_docs,
                            const search_index* also, std::size_t keep,
                            search_matches& out) const {
  out.total = static_cast<int64_t>(count_docs(ts, below, hidden, hidden_docs));
  /// A run below `below` and its score.
  struct level {
    float score = 0;
    uint32_t first = 0, last = 0;
  };
  std::vector<level> levels;
  for (auto t : ts) {
    auto weight = idf(t, also);
    for (auto r = term_runs_[t]; r < term_runs_[t + 1]; ++r) {
      auto [first, last] = run_below(r, below);
      if (first < last)
        levels.push_back({posting_score(weight, run_weight_[r]), first, last});
    }
  }
  std::sort(levels.begin(), levels.end(),
            [](auto& a, auto& b) { return a.score > b.score; });
  // Runs are read down to a floor score such that the runs above it and at
  // it hold a page (unless documents repeat over terms or are hidden: then
  // the next score is taken too, and so on).
  std::size_t upto = 0, postings = 0;
  std::vector<std::pair<uint32_t, float>> found;
  while (upto < levels.size()) {
    auto floor = levels[upto].score;
    auto above = postings;
    while (upto < levels.size() && levels[upto].score == floor) {
      postings += levels[upto].last - levels[upto].first;
      ++upto;
    }
    if (postings < keep && upto < levels.size())
      continue;
    // A run above the floor is read whole. At the floor a run's first
    // keep + above documents are enough: ties go by document number, and
    // at most `above` of them are found again at a better score.
    found.clear();
    for (std::size_t l = 0; l < upto; ++l) {
      auto most = levels[l].score == floor ? keep + above : SIZE_MAX;
      std::size_t taken = 0;
      for (auto i = levels[l].first; i < levels[l].last && taken < most; ++i) {
        auto doc = post_docs_[i];
        if (hidden && doc < hidden->size() && (*hidden)[doc])
          continue;
        found.emplace_back(doc, levels[l].score);
        ++taken;
      }
    }
    std::sort(found.begin(), found.end());
    std::size_t distinct = 0;
    for (std::size_t i = 0; i < found.size(); ++i)
      distinct += i == 0 || found[i].first != found[i - 1].first;
    if (distinct >= keep || upto == levels.size())
      break;
  }
  best_hits best{search_order::relevance, keep, false};
  for (std::size_t i = 0; i < found.size(); ++i) {
    // A document in several terms counts at its best score.
    auto [doc, score] = found[i];
    while (i + 1 < found.size() && found[i + 1].first == doc)
      score = std::max(score, found[++i].second);
    best.offer(hit(doc, score));
  }
  out.hits = best.take();
}

} // namespace berry
