#pragma once

// The edge's rendered view of the catalog: every product's JSON and ETag,
// the categories document, and the category subtrees, made once per
// snapshot on the catalog actor's thread and read by any Asio thread without
// a lock or an actor hop.

#include <atomic>
#include <memory>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "actors/catalog_snapshot.hpp"

namespace berry::http {

/// One product as the edge serves it. Its document is written at the first
/// request for it and kept with this rendering, which a change of the product
/// replaces (http/product_body.hpp writes it). All renderings together keep
/// at most product_document_budget() bytes of documents: past that, the
/// document of a product not yet kept is written per request, so that a
/// million products read once each do not hold every title and description
/// twice.
struct rendered_product {
  std::shared_ptr<const catalog_entry> entry;
  /// fnv1a64 of the Product document, taken when the entry was rendered.
  uint64_t hash = 0;

  rendered_product() = default;
  rendered_product(const rendered_product&) = delete;
  rendered_product& operator=(const rendered_product&) = delete;
  ~rendered_product();

  /// The Product document: the one kept, else kept now when the budget
  /// allows, else written into `scratch`. Safe from any thread.
  const std::string& json(std::string& scratch) const;
  /// The Product document.
  std::string json() const;
  /// Appends the Product document to `out` (the kept one when there is one;
  /// it keeps none).
  void append_json(std::string& out) const;
  /// Strong ETag of the Product document.
  std::string etag() const;
  /// True when this rendering keeps its document.
  bool keeps_document() const;

private:
  /// Written once by whichever request comes first; owned, freed with this.
  mutable std::atomic<const std::string*> doc_{nullptr};
};

/// Bytes of Product documents all renderings may keep (64 MiB unless set).
size_t product_document_budget();
void set_product_document_budget(size_t bytes);
/// Bytes of Product documents kept now (a document's size and capacity).
size_t product_documents_kept();

/// The key rendered products are ordered and found by: the product id.
struct rendered_id {
  const std::string& operator()(const rendered_product& r) const {
    return r.entry->item.id;
  }
};

/// Rendered products in product-id order, in chunks shared between
/// renderings: `for (auto& p : products)` yields `const
/// std::shared_ptr<const rendered_product>&`; size(), find(id).
using rendered_products = chunked_seq<rendered_product, rendered_id>;

/// Changes rendered products between renderings.
using rendered_editor = chunked_seq_editor<rendered_product, rendered_id>;

/// Category id -> itself and all its descendants. Renderings of the same
/// categories share one map.
class category_subtrees {
public:
  using map = std::unordered_map<std::string, std::unordered_set<std::string>>;

  category_subtrees() = default;
  explicit category_subtrees(std::shared_ptr<const map> m)
      : map_(std::move(m)) {}
  map::const_iterator find(const std::string& id) const {
    return get().find(id);
  }
  map::const_iterator end() const { return get().end(); }
  const std::unordered_set<std::string>& at(const std::string& id) const {
    return get().at(id);
  }

private:
  const map& get() const {
    static const map none;
    return map_ ? *map_ : none;
  }
  std::shared_ptr<const map> map_;
};

/// A snapshot with everything the catalog routes need, rendered.
struct rendered_catalog {
  catalog_snapshot_ptr snapshot; ///< never null
  /// Same products as snapshot->products, by product id.
  rendered_products products;
  std::string categories_json; ///< {"items": [...]}
  std::string categories_etag;
  /// category id -> itself and all its descendants.
  category_subtrees subtrees;

  /// The product `id`, or nullptr.
  const rendered_product* find(const std::string& id) const {
    return products.find(id).get();
  }
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
  rendered_editor edit_; ///< holds current_->products (made first)
  std::shared_ptr<const rendered_catalog> current_;
};

/// Renders `snap`, taking unchanged products from `previous` (may be null).
/// `edit` (may be null) holds previous->products and is kept for the next
/// call, which then need not copy the table of chunks into an editor.
std::shared_ptr<const rendered_catalog>
render_catalog(catalog_snapshot_ptr snap, const rendered_catalog* previous,
               rendered_editor* edit = nullptr);

} // namespace berry::http
