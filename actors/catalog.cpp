#include "actors/catalog.hpp"

#include <caf/all.hpp>

namespace berry {

void catalog_state::apply(const availability_report& r) {
  reported.insert(r.warehouse_id);
  for (auto& item : r.items) {
    auto& per_wh = stock[item.product_id];
    auto before = available(item.product_id);
    per_wh[r.warehouse_id] = item.available;
    if (available(item.product_id) != before)
      dirty.insert(item.product_id);
  }
}

int64_t catalog_state::available(const std::string& product_id) const {
  auto i = stock.find(product_id);
  if (i == stock.end())
    return 0;
  int64_t sum = 0;
  for (auto& [wh, n] : i->second)
    sum += n > 0 ? n : 0;
  return sum;
}

catalog_snapshot_ptr catalog_state::build() {
  auto next = std::make_shared<catalog_snapshot>();
  next->version = last ? last->version + 1 : 1;
  next->categories = categories;
  next->products.reserve(products.size());
  for (auto& [id, p] : products) {
    const catalog_entry* old = last ? last->find(id) : nullptr;
    if (old != nullptr && dirty.count(id) == 0) {
      next->products.push_back(last->products[last->index.at(id)]);
    } else {
      next->products.push_back(
        std::make_shared<const catalog_entry>(catalog_entry{p, available(id)}));
    }
    next->index.emplace(id, next->products.size() - 1);
  }
  dirty.clear();
  last = next;
  return next;
}

namespace {

/// The actor's state: the pure catalog plus what only an actor has.
struct catalog_actor_state {
  catalog_state catalog;
  catalog_publisher publisher;
  std::chrono::milliseconds publish_delay{20};
  bool publish_scheduled = false;
  std::vector<caf::typed_response_promise<uint64_t>> ready_waiters;
  static inline const char* name = "catalog";
};

using self_ptr = catalog_actor::stateful_pointer<catalog_actor_state>;

void publish_now(self_ptr self) {
  auto& st = self->state;
  st.publish_scheduled = false;
  if (!st.catalog.changed())
    return;
  auto snap = st.catalog.build();
  if (st.publisher)
    st.publisher(snap);
}

catalog_actor::behavior_type catalog(self_ptr self, catalog_init init) {
  auto& st = self->state;
  st.catalog.categories = std::move(init.categories);
  for (auto& p : init.products)
    st.catalog.products.emplace(p.id, std::move(p));
  st.catalog.expected_warehouses = init.expected_warehouses;
  st.publisher = std::move(init.publisher);
  st.publish_delay = init.publish_delay;
  publish_now(self);
  return {
    [=](avail_atom, const availability_report& r) {
      auto& st = self->state;
      bool was_ready = st.catalog.ready();
      st.catalog.apply(r);
      if (!was_ready && st.catalog.ready()) {
        // The first complete picture goes out at once: readiness waits on it.
        publish_now(self);
        for (auto& rp : st.ready_waiters)
          rp.deliver(st.catalog.last->version);
        st.ready_waiters.clear();
      } else if (st.catalog.changed() && !st.publish_scheduled) {
        st.publish_scheduled = true;
        self->delayed_send(self, st.publish_delay, publish_atom_v);
      }
    },
    [=](publish_atom) { publish_now(self); },
    [=](caf::get_atom) -> uint64_t {
      return self->state.catalog.last->version;
    },
    [=](ready_atom) -> caf::result<uint64_t> {
      auto& st = self->state;
      if (st.catalog.ready())
        return st.catalog.last->version;
      auto rp = self->make_response_promise<uint64_t>();
      st.ready_waiters.push_back(rp);
      return rp;
    },
  };
}

} // namespace

catalog_actor spawn_catalog(caf::actor_system& sys, catalog_init init) {
  return sys.spawn(catalog, std::move(init));
}

} // namespace berry
