#pragma once

// The catalog's full-text search, in memory: a large index of every product
// made now and then, plus a small one of the products changed since, which
// hide their old documents in the large one. Any thread may search while one
// thread at a time changes it; searches never wait for a change.

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "actors/catalog_snapshot.hpp"
#include "actors/search_index.hpp"

namespace berry {

/// Searches the catalog's products (see search_index for how).
class catalog_search {
public:
  /// Changed products kept beside the large index before it is made again.
  static constexpr std::size_t max_changed = 2048;

  /// Indexes every product of `snap`, forgetting earlier changes.
  void rebuild(const catalog_snapshot& snap);

  /// Indexes `p` (new or changed) again. After max_changed such products
  /// the large index is made again from `latest`, which must hold them.
  void put(const product& p, const catalog_snapshot& latest);

  /// Searches both indexes: the best `q.keep` matches and their count.
  search_matches find(const search_query& q) const;

  /// Lists both indexes (search_index::list): the first `q.keep` products
  /// and their exact count.
  search_matches list(const search_query& q) const;

  /// Products in the large index.
  std::size_t size() const;
  /// True once rebuild() ran: before, every search finds nothing.
  bool ready() const;

  /// Suggestions kept for queries that found nothing, before all are
  /// forgotten.
  static constexpr std::size_t max_suggestions = 4096;

  /// Counts the changes of the indexed products (rebuild, put): what the
  /// database suggested for a query while it stays the same still holds.
  uint64_t generation() const;
  /// The suggestion kept for a query of `words` that found nothing ("" for
  /// none), if one is.
  std::optional<std::string> suggestion(const std::string& words) const;
  /// Keeps `suggestion` for `words`, unless products were indexed again
  /// since `generation` (read before the suggestion was made).
  void remember(const std::string& words, std::string suggestion,
                uint64_t generation);

private:
  struct state {
    std::shared_ptr<const search_index> all, changed;
    /// Documents of `all` that `changed` indexes again.
    std::vector<bool> hidden;
    std::vector<uint32_t> hidden_docs;
    std::map<std::string, product> changed_products;
    std::vector<category> categories;
  };
  std::shared_ptr<const state> load() const;
  /// Adds what `changed` found to what `all` found, in q's order.
  static void merge(const state& now, const search_query& q,
                    search_matches& out, search_matches more);

  /// A new generation: the kept suggestions are forgotten.
  void forget_suggestions();

  std::shared_ptr<const state> current_ = std::make_shared<state>();
  std::mutex writer_;
  mutable std::mutex suggestions_mutex_;
  uint64_t generation_ = 0; // guarded by suggestions_mutex_
  std::unordered_map<std::string, std::string> suggestions_;
};

} // namespace berry
