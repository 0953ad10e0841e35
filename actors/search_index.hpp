#pragma once

// An immutable in-memory full-text index over products: for every stem, the
// products whose title or description has it, in product order, with a
// weight (a title hit counts three times a description hit). A query finds
// the products that have every word in one of its forms or as the start of
// a word, as the SQLite and PostgreSQL searches do, and keeps only the best
// page: matches are scored on the way and never sorted whole.
//
// Light: no CAF, no JSON. Built once (catalog_search rebuilds it now and
// then), then read by any number of threads.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "protocols/types.hpp"

namespace berry {

/// The words of `text` as the index sees them: runs of letters and digits,
/// lower-cased, «ё» read as «е»; at most `most`.
std::vector<std::string> search_words(std::string_view text,
                                      std::size_t most = SIZE_MAX);

/// How the matches of a search are ordered before they are cut. A listing
/// (no words) ordered by relevance is ordered by id.
enum class search_order {
  relevance,
  price_asc,
  price_desc,
  newest,
  title,
  none
};

/// One product a search found.
struct search_hit {
  const std::string* id = nullptr; ///< owned by the index
  uint32_t doc = 0;                ///< its number there
  float score = 0;
  int64_t price = 0;
  int64_t created_at = 0;
  uint32_t title_rank = 0; ///< place in the index's order by title
  /// The title, when hits of several indexes are ordered by it.
  const std::string* title = nullptr;
};

/// What a search asks.
struct search_query {
  /// The query's words (search_words); empty matches nothing.
  std::vector<std::string> words;
  /// Category ids a product must be in; null for any.
  const std::unordered_set<std::string>* categories = nullptr;
  /// For a listing: the category (with its subcategories); "" for all.
  std::string category;
  std::optional<int64_t> min_price, max_price;
  search_order order = search_order::relevance;
  /// The most hits to keep (the best ones by `order`; any with `none`).
  std::size_t keep = 20;
  /// A product's current title by id (null when unknown): ordering by
  /// title across catalog_search's two indexes needs it.
  std::function<const std::string*(const std::string&)> title_of;
  /// Every match read and scored the plain way, none of the quick ways
  /// (runs best first, listings, bitmaps): for the tests and the bench that
  /// check the quick ways against it.
  bool plain = false;
};

/// What a search found: the best `keep` hits, ordered (ties by id), and how
/// many there are in all.
struct search_matches {
  std::vector<search_hit> hits;
  int64_t total = 0;
  /// True when `total` was extrapolated: a query whose words expand to more
  /// than search_index::work_bound postings reads only a share of them.
  bool estimate = false;
  /// Keeps the indexes that own the hits' ids alive.
  std::shared_ptr<const void> owner;
};

/// Keeps the best `keep` hits by an order as they are offered, without
/// holding the others: a bounded heap.
class best_hits {
public:
  /// Ties go by document number (hits of one index: the same as by id), or
  /// by id when `ties_by_id` (hits of several indexes).
  best_hits(search_order order, std::size_t keep, bool ties_by_id);

  /// True when `a` comes before `b`.
  bool before(const search_hit& a, const search_hit& b) const;
  /// True when `h` would be kept now. Only the fields the order compares
  /// need be set: a search asks this before it reads the rest of a hit.
  bool wants(const search_hit& h) const;
  void offer(const search_hit& h);
  /// The kept hits, best first.
  std::vector<search_hit> take();

private:
  search_order order_;
  std::size_t keep_;
  bool ties_by_id_;
  std::vector<search_hit> heap_;
};

/// Sorts `hits` by `order` (ties by id) and keeps the first `keep`.
void keep_best(std::vector<search_hit>& hits, search_order order,
               std::size_t keep);

/// The index itself. Documents are numbered in product id order.
class search_index {
public:
  /// Postings read per query word before the rest is estimated.
  static constexpr std::size_t default_work_bound = 2'000'000;

  /// Indexes `products` (pointers need not outlive the call) and orders
  /// them in each of `categories` and its ancestors; documents are numbered
  /// in product id order.
  explicit search_index(const std::vector<const product*>& products,
                        const std::vector<category>& categories = {},
                        std::size_t work_bound = default_work_bound);
  search_index() = default;

  /// Searches; documents whose number is set in `hidden` (may be null) are
  /// left out (catalog_search hides the ones it has indexed again since);
  /// `hidden_docs` (may be null) lists them. A term's weight counts its
  /// documents here and in `also` (may be null), so that a small index's
  /// scores compare with a large one's.
  search_matches find(const search_query& q,
                      const std::vector<bool>* hidden = nullptr,
                      const search_index* also = nullptr,
                      const std::vector<uint32_t>* hidden_docs = nullptr) const;

  /// A listing (q.words is ignored): the first `q.keep` products of
  /// q.category in q.order within the price range, and how many there are
  /// (exactly). Documents in `hidden` are skipped; `hidden_docs` lists them.
  search_matches list(const search_query& q, const std::vector<bool>* hidden,
                      const std::vector<uint32_t>& hidden_docs) const;

  /// The number of the document with `id`, or -1.
  int64_t doc_of(const std::string& id) const;
  std::size_t size() const { return ids_.size(); }
  /// Postings held (for memory figures).
  std::size_t postings() const { return post_docs_.size(); }
  /// Terms with a bitmap (for memory figures).
  std::size_t bitmaps() const {
    return ids_.empty() ? 0 : bitmaps_.size() / ((ids_.size() + 63) / 64);
  }

private:
  struct word_match;
  /// The terms a query word stands for, ascending.
  std::vector<uint32_t> terms_of(const std::string& word) const;
  /// The documents below `below` that have any of `terms`, by number.
  word_match match_terms(const std::vector<uint32_t>& terms, uint32_t below,
                         const search_index* also) const;
  /// The best `keep` of the documents that have any of `ts` (one query
  /// word's terms), by relevance, and their count: into `out`.
  void find_top(const std::vector<uint32_t>& ts, uint32_t below,
                const std::vector<bool>* hidden,
                const std::vector<uint32_t>* hidden_docs,
                const search_index* also, std::size_t keep,
                search_matches& out) const;
  /// As match_terms, but only the documents that also have one of each of
  /// `filters`' terms (words whose every term has a bitmap): `ts`'s runs
  /// are read and each document tried against the filters' bitmaps, so the
  /// first word's matches are never gathered and merged whole.
  std::vector<std::pair<uint32_t, float>>
  match_filtered(const std::vector<uint32_t>& ts, uint32_t below,
                 const std::vector<const std::vector<uint32_t>*>& filters,
                 const search_index* also) const;
  /// True when every term of `ts` has a bitmap.
  bool all_bitmapped(const std::vector<uint32_t>& ts) const;
  /// Keeps the documents of `found` (ascending) that have any of `ts`,
  /// adding their best score there.
  void intersect_runs(std::vector<std::pair<uint32_t, float>>& found,
                      const std::vector<uint32_t>& ts, const search_index* also,
                      bool plain) const;
  /// How many documents below `below`, not hidden, have any of `ts`.
  std::size_t count_docs(const std::vector<uint32_t>& ts, uint32_t below,
                         const std::vector<bool>* hidden,
                         const std::vector<uint32_t>* hidden_docs) const;
  /// A posting's score: its term's idf and its weight, BM25-style with no
  /// length normalisation (k1 = 1.2).
  static float posting_score(float idf, unsigned weight) {
    constexpr float k1 = 1.2f;
    return idf * float(weight) * (k1 + 1) / (float(weight) + k1);
  }
  /// The weight of term `t`'s postings: its idf over this index and `also`.
  float idf(uint32_t t, const search_index* also) const;
  /// Documents that have `term`.
  std::size_t df(const std::string& term) const;

  std::size_t work_bound_ = default_work_bound;
  std::vector<std::string> ids_; ///< by document
  std::vector<uint32_t> category_;
  std::vector<int64_t> price_, created_at_;
  std::vector<std::string> categories_;
  std::vector<uint32_t> title_rank_;
  /// A category's products (its subcategories' too) in each order; the
  /// key "" holds every product.
  struct ordered {
    std::vector<uint32_t> by_id, by_price, by_newest, by_title;
  };
  std::unordered_map<std::string, ordered> listings_;
  using doc_iter = std::vector<uint32_t>::const_iterator;
  /// The part of `l.by_price` within q's price range.
  std::pair<doc_iter, doc_iter> price_range(const ordered& l,
                                            const search_query& q) const;
  /// Calls `take` with `l`'s documents in q's order (by price: only those
  /// of [first, last)) until it answers false.
  void walk_listing(const ordered& l, const search_query& q, doc_iter first,
                    doc_iter last,
                    const std::function<bool(uint32_t)>& take) const;
  /// One query word (`ts`) with a category or price filter, or in an order
  /// other than relevance, answered from q.category's listing into `out`;
  /// false (and `out` untouched) when reading each match costs less.
  bool find_by_listing(const std::vector<uint32_t>& ts, uint32_t below,
                       const search_query& q, const std::vector<bool>* hidden,
                       const std::vector<uint32_t>* hidden_docs,
                       const search_index* also, search_matches& out) const;
  /// Category id -> its parent's id ("" for a top category).
  std::unordered_map<std::string, std::string> parent_of_;
  void order_listings(const std::vector<const product*>& docs,
                      const std::vector<category>& categories);
  /// True when document `doc` is in category `c` or below it.
  bool in_category(uint32_t doc, const std::string& c) const;
  search_hit hit(uint32_t doc, float score) const;
  /// True when document `doc`'s price is within q's range.
  bool priced(uint32_t doc, const search_query& q) const {
    return !(q.min_price && price_[doc] < *q.min_price) &&
           !(q.max_price && price_[doc] > *q.max_price);
  }
  /// A bit per category: whether q.categories holds it (none when q names
  /// no categories).
  std::vector<bool> allowed_categories(const search_query& q) const;
  /// What q's order compares of document `doc`: a hit with only that set
  /// (see best_hits::wants).
  search_hit key_of(uint32_t doc, float score, const search_query& q) const;
  /// A term's postings are runs of one weight (3 x title hits +
  /// description hits), the heaviest first; a run's documents ascend.
  std::vector<std::string> terms_;  ///< sorted
  std::vector<uint32_t> term_runs_; ///< terms_.size() + 1 offsets into runs
  std::vector<uint32_t> run_start_; ///< runs + 1 offsets into post_docs_
  std::vector<uint8_t> run_weight_; ///< per run
  std::vector<uint32_t> post_docs_;
  /// The postings of term `t`.
  std::size_t postings_of(uint32_t t) const {
    return run_start_[term_runs_[t + 1]] - run_start_[term_runs_[t]];
  }
  /// A bit per document for each term in at least 1/bitmap_share of them
  /// (such a bitmap is no larger than the term's postings): which of a few
  /// documents have a common word is asked of it, not of its postings.
  static constexpr std::size_t bitmap_share = 32;
  std::vector<uint32_t> bitmap_of_; ///< per term: its bitmap's number, or -1
  std::vector<uint64_t> bitmaps_;   ///< (size() + 63) / 64 words each
  void make_bitmaps();
  /// Term `t`'s bitmap, or null.
  const uint64_t* bitmap(uint32_t t) const {
    return bitmap_of_[t] == UINT32_MAX
               ? nullptr
               : bitmaps_.data() +
                     std::size_t(bitmap_of_[t]) * ((ids_.size() + 63) / 64);
  }
  /// Run `r`'s documents below `below`, as offsets into post_docs_.
  std::pair<uint32_t, uint32_t> run_below(uint32_t r, uint32_t below) const;
};

} // namespace berry
