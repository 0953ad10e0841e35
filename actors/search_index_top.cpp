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

void search_index::make_bitmaps() {
  auto words = (ids_.size() + 63) / 64;
  bitmap_of_.assign(terms_.size(), UINT32_MAX);
  uint32_t n = 0;
  for (uint32_t t = 0; t < terms_.size(); ++t)
    if (postings_of(t) * bitmap_share >= ids_.size())
      bitmap_of_[t] = n++;
  bitmaps_.assign(std::size_t(n) * words, 0);
  for (uint32_t t = 0; t < terms_.size(); ++t)
    if (bitmap_of_[t] != UINT32_MAX) {
      auto* bits = bitmaps_.data() + std::size_t(bitmap_of_[t]) * words;
      for (auto i = run_start_[term_runs_[t]];
           i < run_start_[term_runs_[t + 1]]; ++i)
        bits[post_docs_[i] >> 6] |= uint64_t{1} << (post_docs_[i] & 63);
    }
}

namespace {

/// A run being read forward, and its score.
struct run_cursor {
  uint32_t at = 0, last = 0;
  float score = 0;
};

/// Moves `c` to the first of its documents not below `doc`, galloping;
/// true when that is `doc`.
bool seek(run_cursor& c, uint32_t doc, const std::vector<uint32_t>& docs) {
  uint32_t step = 1, from = c.at;
  while (from + step < c.last && docs[from + step] < doc) {
    from += step;
    step *= 2;
  }
  auto end = std::min<uint32_t>(from + step + 1, c.last);
  c.at = static_cast<uint32_t>(
      std::lower_bound(docs.begin() + from, docs.begin() + end, doc) -
      docs.begin());
  return c.at < c.last && docs[c.at] == doc;
}

} // namespace

bool search_index::all_bitmapped(const std::vector<uint32_t>& ts) const {
  return !ts.empty() && std::all_of(ts.begin(), ts.end(),
                                    [&](uint32_t t) { return bitmap(t); });
}

std::vector<std::pair<uint32_t, float>> search_index::match_filtered(
    const std::vector<uint32_t>& ts, uint32_t below,
    const std::vector<const std::vector<uint32_t>*>& filters,
    const search_index* also) const {
  std::vector<std::vector<const uint64_t*>> words;
  for (auto* f : filters) {
    auto& w = words.emplace_back();
    for (auto t : *f)
      w.push_back(bitmap(t));
  }
  auto passes = [&](uint32_t doc) {
    auto at = doc >> 6;
    auto bit = uint64_t{1} << (doc & 63);
    for (auto& w : words)
      if (std::none_of(w.begin(), w.end(),
                       [&](const uint64_t* b) { return b[at] & bit; }))
        return false;
    return true;
  };
  std::vector<std::pair<uint32_t, float>> out;
  for (auto t : ts) {
    auto weight = idf(t, also);
    for (auto r = term_runs_[t]; r < term_runs_[t + 1]; ++r) {
      auto score = posting_score(weight, run_weight_[r]);
      auto [first, last] = run_below(r, below);
      for (auto i = first; i < last; ++i)
        if (passes(post_docs_[i]))
          out.emplace_back(post_docs_[i], score);
    }
  }
  // Each document once, at its best score (as match_terms keeps it).
  std::sort(out.begin(), out.end());
  std::size_t kept = 0;
  for (std::size_t i = 0; i < out.size(); ++i) {
    if (kept > 0 && out[kept - 1].first == out[i].first)
      out[kept - 1].second = std::max(out[kept - 1].second, out[i].second);
    else
      out[kept++] = out[i];
  }
  out.resize(kept);
  return out;
}

void search_index::intersect_runs(
    std::vector<std::pair<uint32_t, float>>& found,
    const std::vector<uint32_t>& ts, const search_index* also,
    bool plain) const {
  // The best score each found document has among the runs (-1: none).
  std::vector<float> best(found.size(), -1.0f);
  std::vector<run_cursor> runs;
  std::size_t postings = 0;
  for (auto t : ts) {
    auto weight = idf(t, also);
    auto* bits = plain ? nullptr : bitmap(t);
    if (bits && found.size() < postings_of(t)) {
      // A common term beside few documents: its bitmap says which have it,
      // and only those are sought in its runs (the heaviest first: the
      // first run that has a document is its best).
      std::vector<run_cursor> own;
      for (auto r = term_runs_[t]; r < term_runs_[t + 1]; ++r)
        own.push_back({run_start_[r], run_start_[r + 1],
                       posting_score(weight, run_weight_[r])});
      for (std::size_t k = 0; k < found.size(); ++k) {
        auto doc = found[k].first;
        if (!(bits[doc >> 6] & (uint64_t{1} << (doc & 63))))
          continue;
        for (auto& c : own)
          if (seek(c, doc, post_docs_)) {
            best[k] = std::max(best[k], c.score);
            break;
          }
      }
      continue;
    }
    for (auto r = term_runs_[t]; r < term_runs_[t + 1]; ++r)
      runs.push_back({run_start_[r], run_start_[r + 1],
                      posting_score(weight, run_weight_[r])});
    postings += postings_of(t);
  }
  if (found.size() * runs.size() * 8 < postings) {
    // Few documents: each is sought in every run, galloping forward.
    for (auto& c : runs)
      for (std::size_t k = 0; k < found.size() && c.at < c.last; ++k)
        if (seek(c, found[k].first, post_docs_))
          best[k] = std::max(best[k], c.score);
  } else if (!runs.empty()) {
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
