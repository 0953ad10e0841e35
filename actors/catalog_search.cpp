#include "actors/catalog_search.hpp"

namespace berry {

std::shared_ptr<const catalog_search::state> catalog_search::load() const {
  return std::atomic_load(&current_);
}

void catalog_search::rebuild(const catalog_snapshot& snap) {
  std::lock_guard<std::mutex> lock{writer_};
  std::vector<const product*> products;
  products.reserve(snap.products.size());
  for (auto& entry : snap.products)
    products.push_back(&entry->item);
  auto next = std::make_shared<state>();
  next->categories = snap.categories;
  next->all = std::make_shared<const search_index>(products, snap.categories);
  next->changed = std::make_shared<const search_index>();
  std::atomic_store(&current_, std::shared_ptr<const state>{next});
  forget_suggestions();
}

void catalog_search::put(const product& p, const catalog_snapshot& latest) {
  auto before = load();
  if (before->changed_products.size() + 1 > max_changed) {
    rebuild(latest);
    return;
  }
  std::lock_guard<std::mutex> lock{writer_};
  before = load();
  auto next = std::make_shared<state>(*before);
  next->changed_products[p.id] = p;
  std::vector<const product*> changed;
  for (auto& [id, x] : next->changed_products)
    changed.push_back(&x);
  next->changed =
      std::make_shared<const search_index>(changed, next->categories);
  auto doc = next->all ? next->all->doc_of(p.id) : -1;
  if (doc >= 0 && !(doc < int64_t(next->hidden.size()) && next->hidden[doc])) {
    next->hidden.resize(next->all->size());
    next->hidden[static_cast<std::size_t>(doc)] = true;
    next->hidden_docs.push_back(static_cast<uint32_t>(doc));
  }
  std::atomic_store(&current_, std::shared_ptr<const state>{next});
  forget_suggestions();
}

void catalog_search::forget_suggestions() {
  std::lock_guard<std::mutex> lock{suggestions_mutex_};
  ++generation_;
  suggestions_.clear();
}

uint64_t catalog_search::generation() const {
  std::lock_guard<std::mutex> lock{suggestions_mutex_};
  return generation_;
}

std::optional<std::string>
catalog_search::suggestion(const std::string& words) const {
  std::lock_guard<std::mutex> lock{suggestions_mutex_};
  auto i = suggestions_.find(words);
  if (i == suggestions_.end())
    return std::nullopt;
  return i->second;
}

void catalog_search::remember(const std::string& words, std::string suggestion,
                              uint64_t generation) {
  std::lock_guard<std::mutex> lock{suggestions_mutex_};
  if (generation != generation_)
    return;
  if (suggestions_.size() >= max_suggestions)
    suggestions_.clear();
  suggestions_[words] = std::move(suggestion);
}

void catalog_search::merge(const state& now, const search_query& q,
                           search_matches& out, search_matches more) {
  out.total += more.total;
  out.estimate = out.estimate || more.estimate;
  out.hits.insert(out.hits.end(), more.hits.begin(), more.hits.end());
  if (q.order == search_order::title)
    for (auto& h : out.hits) {
      auto changed = now.changed_products.find(*h.id);
      h.title = changed != now.changed_products.end() ? &changed->second.title
                : q.title_of                          ? q.title_of(*h.id)
                                                      : nullptr;
    }
  keep_best(out.hits, q.order, q.keep);
}

search_matches catalog_search::find(const search_query& q) const {
  auto now = load();
  if (!now->all)
    return {};
  auto out =
      now->all->find(q, &now->hidden, now->changed.get(), &now->hidden_docs);
  out.owner = now;
  if (!now->changed_products.empty())
    merge(*now, q, out, now->changed->find(q, nullptr, now->all.get()));
  return out;
}

search_matches catalog_search::list(const search_query& q) const {
  auto now = load();
  if (!now->all)
    return {};
  auto out = now->all->list(q, &now->hidden, now->hidden_docs);
  out.owner = now;
  if (!now->changed_products.empty())
    merge(*now, q, out, now->changed->list(q, nullptr, {}));
  return out;
}

bool catalog_search::ready() const {
  return load()->all != nullptr;
}

std::size_t catalog_search::size() const {
  auto now = load();
  return now->all ? now->all->size() : 0;
}

} // namespace berry
