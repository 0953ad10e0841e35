#include "http/catalog_cache.hpp"

#include <algorithm>
#include <atomic>
#include <optional>

#include <nlohmann/json.hpp>

#include "http/etag.hpp"
#include "http/json_mapping.hpp"
#include "http/product_body.hpp"

namespace berry::http {

namespace {

std::shared_ptr<const rendered_product>
render_product(const std::shared_ptr<const catalog_entry>& e) {
  // Written once to take its hash, then dropped: the first request for it
  // writes it again and keeps it (rendered_product::json).
  thread_local std::string body;
  body.clear();
  append_product_json(body, *e);
  auto out = std::make_shared<rendered_product>();
  out->entry = e;
  out->hash = fnv1a64(body);
  return out;
}

using subtree_map = category_subtrees::map;

subtree_map make_subtrees(const std::vector<category>& cats) {
  std::unordered_map<std::string, std::vector<std::string>> children;
  for (auto& c : cats)
    if (!c.parent_id.empty())
      children[c.parent_id].push_back(c.id);
  subtree_map out;
  for (auto& c : cats) {
    auto& set = out[c.id];
    std::vector<std::string> todo{c.id};
    // The visited set also guards against a cycle in bad data.
    while (!todo.empty()) {
      auto id = std::move(todo.back());
      todo.pop_back();
      if (!set.insert(id).second)
        continue;
      if (auto i = children.find(id); i != children.end())
        todo.insert(todo.end(), i->second.begin(), i->second.end());
    }
  }
  return out;
}

std::atomic<size_t> document_budget{size_t{64} << 20};
std::atomic<size_t> documents_kept{0};

size_t kept_size(const std::string& doc) {
  return sizeof doc + doc.capacity();
}

} // namespace

size_t product_document_budget() {
  return document_budget.load(std::memory_order_relaxed);
}

void set_product_document_budget(size_t bytes) {
  document_budget.store(bytes, std::memory_order_relaxed);
}

size_t product_documents_kept() {
  return documents_kept.load(std::memory_order_relaxed);
}

rendered_product::~rendered_product() {
  if (auto* doc = doc_.load(std::memory_order_acquire)) {
    documents_kept.fetch_sub(kept_size(*doc), std::memory_order_relaxed);
    delete doc;
  }
}

const std::string& rendered_product::json(std::string& scratch) const {
  if (auto* doc = doc_.load(std::memory_order_acquire))
    return *doc;
  scratch.clear();
  append_product_json(scratch, *entry);
  auto size = sizeof scratch + scratch.size();
  auto budget = product_document_budget();
  // Past the budget (the usual case then) without writing the counter.
  if (documents_kept.load(std::memory_order_relaxed) + size > budget)
    return scratch;
  if (documents_kept.fetch_add(size, std::memory_order_relaxed) + size >
      budget) {
    documents_kept.fetch_sub(size, std::memory_order_relaxed);
    return scratch;
  }
  auto* mine = new std::string(scratch.data(), scratch.size());
  // The budget was taken for the size; the copy's capacity may be more.
  documents_kept.fetch_add(kept_size(*mine) - size, std::memory_order_relaxed);
  const std::string* none = nullptr;
  if (doc_.compare_exchange_strong(none, mine, std::memory_order_acq_rel,
                                   std::memory_order_acquire))
    return *mine;
  // Another thread kept its copy first: the same bytes.
  documents_kept.fetch_sub(kept_size(*mine), std::memory_order_relaxed);
  delete mine;
  return *none;
}

std::string rendered_product::json() const {
  std::string scratch;
  auto& doc = json(scratch);
  return &doc == &scratch ? std::move(scratch) : doc;
}

void rendered_product::append_json(std::string& out) const {
  if (auto* doc = doc_.load(std::memory_order_acquire))
    out += *doc;
  else
    append_product_json(out, *entry);
}

bool rendered_product::keeps_document() const {
  return doc_.load(std::memory_order_acquire) != nullptr;
}

std::string rendered_product::etag() const {
  return etag_of(hash);
}

std::shared_ptr<const rendered_catalog>
render_catalog(catalog_snapshot_ptr snap, const rendered_catalog* previous,
               rendered_editor* edit) {
  if (!snap)
    snap = std::make_shared<const catalog_snapshot>();
  auto out = std::make_shared<rendered_catalog>();
  if (previous) {
    // Only what differs from the previous snapshot is rendered again; the
    // rest, chunks of it whole, is shared with the previous rendering.
    std::optional<rendered_editor> own;
    if (!edit)
      edit = &own.emplace(previous->products);
    catalog_entries::diff(
        previous->snapshot->products, snap->products,
        [&](const auto& e) { edit->put(render_product(e)); },
        [&](const auto& e) { edit->erase(e->item.id); });
    out->products = edit->publish();
  } else {
    std::vector<std::shared_ptr<const rendered_product>> all;
    all.reserve(snap->products.size());
    for (auto& e : snap->products)
      all.push_back(render_product(e));
    out->products = rendered_products::from_sorted(all);
    if (edit)
      *edit = rendered_editor{out->products};
  }
  if (previous &&
      same_categories(previous->snapshot->categories, snap->categories)) {
    out->categories_json = previous->categories_json;
    out->categories_etag = previous->categories_etag;
    out->subtrees = previous->subtrees;
  } else {
    auto items = nlohmann::json::array();
    for (auto& c : snap->categories)
      items.push_back(category_json(c));
    out->categories_json = dump_json({{"items", std::move(items)}});
    out->categories_etag = make_etag(out->categories_json);
    out->subtrees = category_subtrees{
        std::make_shared<const subtree_map>(make_subtrees(snap->categories))};
  }
  out->snapshot = std::move(snap);
  return out;
}

catalog_cache::catalog_cache()
    : current_(render_catalog(nullptr, nullptr, &edit_)) {}

void catalog_cache::publish(catalog_snapshot_ptr snap) {
  auto prev = load();
  std::atomic_store(&current_,
                    render_catalog(std::move(snap), prev.get(), &edit_));
}

std::shared_ptr<const rendered_catalog> catalog_cache::load() const {
  return std::atomic_load(&current_);
}

} // namespace berry::http
