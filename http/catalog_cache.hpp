#pragma once

// The edge's rendered view of the catalog: every product's JSON and ETag,
// the categories document, and the category subtrees, made once per
// snapshot on the catalog actor's thread and read by any Asio thread without
// a lock or an actor hop.

#include <memory>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "actors/catalog_snapshot.hpp"

namespace berry::http {

/// One product as the edge serves it.
struct rendered_product {
  std::shared_ptr<const catalog_entry> entry;
  std::string json; ///< the Product document
  std::string etag; ///< strong ETag of `json`
};

/// A snapshot with everything the catalog routes need, rendered.
struct rendered_catalog {
  catalog_snapshot_ptr snapshot; ///< never null
  /// Same order as snapshot->products (by product id).
  std::vector<std::shared_ptr<const rendered_product>> products;
  std::string categories_json; ///< {"items": [...]}
  std::string categories_etag;
  /// category id -> itself and all its descendants.
  std::unordered_map<std::string, std::unordered_set<std::string>> subtrees;

  /// The product `id`, or nullptr.
  const rendered_product* find(const std::string& id) const;
};

/// Holds the latest rendered catalog. publish() and load() may run on
/// different threads at the same time.
class catalog_cache {
public:
  /// Starts with an empty catalog.
  catalog_cache();

  /// Renders `snap` (reusing what was rendered for entries that are the same
  /// objects as in the previous snapshot) and makes it the current view.
  /// Called from one thread at a time: the catalog actor's.
  void publish(catalog_snapshot_ptr snap);

  /// The current view; never null, never blocks on the actor.
  std::shared_ptr<const rendered_catalog> load() const;

private:
  std::shared_ptr<const rendered_catalog> current_;
};

/// Renders `snap`, taking unchanged products from `previous` (may be null).
std::shared_ptr<const rendered_catalog>
render_catalog(catalog_snapshot_ptr snap, const rendered_catalog* previous);

} // namespace berry::http
