#include "http/catalog_cache.hpp"

#include <atomic>

#include <nlohmann/json.hpp>

#include "http/etag.hpp"
#include "http/json_mapping.hpp"

namespace berry::http {

namespace {

std::shared_ptr<const rendered_product>
render_product(const std::shared_ptr<const catalog_entry>& e) {
  auto out = std::make_shared<rendered_product>();
  out->entry = e;
  out->json = dump_json(product_json(*e));
  out->etag = make_etag(out->json);
  return out;
}

using subtree_map =
    std::unordered_map<std::string, std::unordered_set<std::string>>;

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

} // namespace

const rendered_product* rendered_catalog::find(const std::string& id) const {
  auto i = snapshot->index.find(id);
  return i == snapshot->index.end() ? nullptr : products[i->second].get();
}

std::shared_ptr<const rendered_catalog>
render_catalog(catalog_snapshot_ptr snap, const rendered_catalog* previous) {
  if (!snap)
    snap = std::make_shared<const catalog_snapshot>();
  // Entries are shared between snapshots; the previous rendering keeps its
  // entry alive, so an address seen again is truly the same entry.
  std::unordered_map<const catalog_entry*,
                     std::shared_ptr<const rendered_product>>
      before;
  if (previous)
    for (auto& r : previous->products)
      before.emplace(r->entry.get(), r);
  auto out = std::make_shared<rendered_catalog>();
  out->products.reserve(snap->products.size());
  for (auto& e : snap->products) {
    auto i = before.find(e.get());
    out->products.push_back(i != before.end() ? i->second : render_product(e));
  }
  auto items = nlohmann::json::array();
  for (auto& c : snap->categories)
    items.push_back(category_json(c));
  out->categories_json = dump_json({{"items", std::move(items)}});
  out->categories_etag = make_etag(out->categories_json);
  out->subtrees = make_subtrees(snap->categories);
  out->snapshot = std::move(snap);
  return out;
}

catalog_cache::catalog_cache() : current_(render_catalog(nullptr, nullptr)) {}

void catalog_cache::publish(catalog_snapshot_ptr snap) {
  auto prev = load();
  std::atomic_store(&current_, render_catalog(std::move(snap), prev.get()));
}

std::shared_ptr<const rendered_catalog> catalog_cache::load() const {
  return std::atomic_load(&current_);
}

} // namespace berry::http
