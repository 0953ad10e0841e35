#include "actors/search_index.hpp"

#include <algorithm>
#include <numeric>
#include <unordered_map>

#include "storage/russian_words.hpp"

namespace berry {

namespace {

// Code points that end a word: ASCII other than letters and digits, Latin-1
// signs, general punctuation, currency and other symbols, CJK punctuation.
bool separates(char32_t c) {
  if (c < 0x80)
    return !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
             (c >= 'A' && c <= 'Z'));
  return (c >= 0xA0 && c <= 0xBF) || c == 0xD7 || c == 0xF7 ||
         (c >= 0x2000 && c <= 0x2BFF) || (c >= 0x3000 && c <= 0x303F);
}

// The code point at text[i] and its length in bytes (1 for a broken one).
std::pair<char32_t, std::size_t> decode(std::string_view text, std::size_t i) {
  auto b = static_cast<unsigned char>(text[i]);
  std::size_t n = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
  if (b >= 0x80 && b < 0xC0)
    return {0xFFFD, 1};
  if (i + n > text.size())
    return {0xFFFD, 1};
  char32_t c = n == 1 ? b : n == 2 ? (b & 0x1F) : n == 3 ? (b & 0x0F) : (b & 7);
  for (std::size_t k = 1; k < n; ++k)
    c = (c << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3F);
  return {c, n};
}

// A document's words as (term, weight), merged by term.
using doc_terms = std::vector<std::pair<uint32_t, uint32_t>>;

/// Calls `f` with each word of `text`, folded into `word` (whose memory is
/// reused from word to word).
template <class F>
void each_word(std::string_view text, std::string& word, F&& f) {
  std::size_t start = 0, i = 0;
  auto flush = [&](std::size_t end) {
    if (end <= start)
      return true;
    storage::fold_word_into(text.substr(start, end - start), word);
    return f(word);
  };
  while (i < text.size()) {
    auto [c, n] = decode(text, i);
    if (separates(c)) {
      if (!flush(i))
        return;
      start = i + n;
    }
    i += n;
  }
  flush(text.size());
}

} // namespace

std::vector<std::string> search_words(std::string_view text, std::size_t most) {
  std::vector<std::string> out;
  std::string word;
  if (most > 0)
    each_word(text, word, [&](const std::string& w) {
      out.push_back(w);
      return out.size() < most;
    });
  return out;
}

search_index::search_index(const std::vector<const product*>& products,
                           const std::vector<category>& categories,
                           std::size_t work_bound)
    : work_bound_(work_bound) {
  std::vector<const product*> docs = products;
  std::sort(docs.begin(), docs.end(),
            [](auto* a, auto* b) { return a->id < b->id; });
  std::unordered_map<std::string, uint32_t> category_ids, term_ids;
  std::unordered_map<std::string, uint32_t> stem_of; // word -> term
  std::vector<std::vector<std::pair<uint32_t, uint8_t>>> lists;
  auto term = [&](const std::string& word) {
    auto s = stem_of.find(word);
    if (s != stem_of.end())
      return s->second;
    auto stem = storage::stem_word(word);
    auto [t, fresh] = term_ids.emplace(stem, uint32_t(terms_.size()));
    if (fresh) {
      terms_.push_back(stem);
      lists.emplace_back();
    }
    stem_of.emplace(word, t->second);
    return t->second;
  };
  doc_terms acc;
  std::string word;
  for (auto* p : docs) {
    auto doc = static_cast<uint32_t>(ids_.size());
    ids_.push_back(p->id);
    auto [c, fresh] =
        category_ids.emplace(p->category_id, uint32_t(categories_.size()));
    if (fresh)
      categories_.push_back(p->category_id);
    category_.push_back(c->second);
    price_.push_back(p->price);
    created_at_.push_back(p->created_at);
    acc.clear();
    each_word(p->title, word, [&](const std::string& w) {
      acc.emplace_back(term(w), 3);
      return true;
    });
    each_word(p->description, word, [&](const std::string& w) {
      acc.emplace_back(term(w), 1);
      return true;
    });
    std::sort(acc.begin(), acc.end());
    for (std::size_t k = 0; k < acc.size();) {
      uint32_t weight = 0, t = acc[k].first;
      for (; k < acc.size() && acc[k].first == t; ++k)
        weight += acc[k].second;
      lists[t].emplace_back(doc, static_cast<uint8_t>(std::min(weight, 255u)));
    }
  }
  // Terms in order, so that the terms a prefix starts are one range.
  std::vector<uint32_t> order(terms_.size());
  std::iota(order.begin(), order.end(), 0u);
  std::sort(order.begin(), order.end(),
            [&](auto a, auto b) { return terms_[a] < terms_[b]; });
  std::vector<std::string> sorted;
  sorted.reserve(terms_.size());
  term_runs_.reserve(terms_.size() + 1);
  for (auto t : order) {
    sorted.push_back(std::move(terms_[t]));
    term_runs_.push_back(static_cast<uint32_t>(run_weight_.size()));
    // A term's documents by weight, the heaviest first; each weight's in
    // document order (the list was made in that order).
    auto& list = lists[t];
    std::stable_sort(list.begin(), list.end(),
                     [](auto& a, auto& b) { return a.second > b.second; });
    for (std::size_t i = 0; i < list.size(); ++i) {
      if (i == 0 || list[i].second != list[i - 1].second) {
        run_start_.push_back(static_cast<uint32_t>(post_docs_.size()));
        run_weight_.push_back(list[i].second);
      }
      post_docs_.push_back(list[i].first);
    }
    std::vector<std::pair<uint32_t, uint8_t>>{}.swap(list);
  }
  term_runs_.push_back(static_cast<uint32_t>(run_weight_.size()));
  run_start_.push_back(static_cast<uint32_t>(post_docs_.size()));
  terms_ = std::move(sorted);
  make_bitmaps();
  order_listings(docs, categories);
}

int64_t search_index::doc_of(const std::string& id) const {
  auto i = std::lower_bound(ids_.begin(), ids_.end(), id);
  return i != ids_.end() && *i == id ? i - ids_.begin() : -1;
}

best_hits::best_hits(search_order order, std::size_t keep, bool ties_by_id)
    : order_(order), keep_(keep), ties_by_id_(ties_by_id) {}

bool best_hits::before(const search_hit& a, const search_hit& b) const {
  switch (order_) {
  case search_order::relevance:
    if (a.score != b.score)
      return a.score > b.score;
    break;
  case search_order::price_asc:
    if (a.price != b.price)
      return a.price < b.price;
    break;
  case search_order::price_desc:
    if (a.price != b.price)
      return a.price > b.price;
    break;
  case search_order::newest:
    if (a.created_at != b.created_at)
      return a.created_at > b.created_at;
    break;
  case search_order::title:
    if (ties_by_id_ && a.title && b.title) {
      if (*a.title != *b.title)
        return *a.title < *b.title;
    } else if (!ties_by_id_ && a.title_rank != b.title_rank) {
      return a.title_rank < b.title_rank;
    }
    break;
  case search_order::none:
    break;
  }
  return ties_by_id_ ? *a.id < *b.id : a.doc < b.doc;
}

bool best_hits::wants(const search_hit& h) const {
  return heap_.size() < keep_ || (keep_ > 0 && before(h, heap_.front()));
}

void best_hits::offer(const search_hit& h) {
  auto cmp = [this](const search_hit& a, const search_hit& b) {
    return before(a, b);
  };
  // The heap's front is the worst hit kept.
  if (heap_.size() < keep_) {
    heap_.push_back(h);
    std::push_heap(heap_.begin(), heap_.end(), cmp);
  } else if (keep_ > 0 && before(h, heap_.front())) {
    std::pop_heap(heap_.begin(), heap_.end(), cmp);
    heap_.back() = h;
    std::push_heap(heap_.begin(), heap_.end(), cmp);
  }
}

std::vector<search_hit> best_hits::take() {
  std::sort_heap(heap_.begin(), heap_.end(),
                 [this](const search_hit& a, const search_hit& b) {
                   return before(a, b);
                 });
  return std::move(heap_);
}

void keep_best(std::vector<search_hit>& hits, search_order order,
               std::size_t keep) {
  best_hits best{order, keep, true};
  for (auto& h : hits)
    best.offer(h);
  hits = best.take();
}

} // namespace berry
