#include "actors/catalog.hpp"

#include <caf/all.hpp>

#include "protocols/errors.hpp"

namespace berry {

namespace {

/// The actor's state: the pure catalog plus what only an actor has.
struct catalog_actor_state {
  catalog_state catalog;
  catalog_publisher publisher;
  std::chrono::milliseconds publish_delay{20};
  bool publish_scheduled = false;
  /// When the last snapshot went out (by the actor clock).
  caf::actor_clock::time_point last_publish;
  journal_actor journal;
  std::vector<caf::typed_response_promise<uint64_t>> ready_waiters;
  static inline const char* name = "catalog";
};

using catalog_self = catalog_actor::stateful_pointer<catalog_actor_state>;

void publish_now(catalog_self self) {
  auto& st = self->state;
  st.publish_scheduled = false;
  if (!st.catalog.changed())
    return;
  st.last_publish = self->clock().now();
  auto snap = st.catalog.build();
  if (st.publisher)
    st.publisher(snap);
}

/// Journals a product, then shows it: the answer and the snapshot that
/// carries it both come after the write is durable.
caf::result<product> put_product(catalog_self self, product p) {
  auto& st = self->state;
  if (auto why = st.catalog.check(p); !why.empty())
    return caf::make_error(berry_errc::validation, why);
  if (!st.journal)
    return caf::make_error(berry_errc::unavailable, "no journal");
  if (p.id.empty())
    p.id = st.catalog.new_product_id();
  if (p.created_at == 0)
    p.created_at = std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  auto rp = self->make_response_promise<product>();
  journal_batch batch{{product_put{p}}};
  self->request(st.journal, caf::infinite, write_atom_v, std::move(batch))
      .then(
          [=](uint64_t) mutable {
            self->state.catalog.put(p);
            publish_now(self);
            rp.deliver(p);
          },
          [=](caf::error& err) mutable { rp.deliver(std::move(err)); });
  return rp;
}

catalog_actor::behavior_type catalog(catalog_self self, catalog_init init) {
  auto& st = self->state;
  st.catalog.categories = std::move(init.categories);
  for (auto& p : init.products)
    st.catalog.put(std::move(p));
  init.products = {};
  st.catalog.expected_warehouses = init.expected_warehouses;
  st.publisher = std::move(init.publisher);
  st.publish_delay = init.publish_delay;
  st.journal = std::move(init.journal);
  // The first snapshot waits for every warehouse's stock: one rendering of
  // the whole catalog, not one per warehouse report.
  if (st.catalog.ready())
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
        } else if (st.catalog.ready() && st.catalog.changed() &&
                   !st.publish_scheduled) {
          // A change after a quiet spell shows at once; changes that follow
          // within publish_delay are gathered into the next snapshot.
          auto since = self->clock().now() - st.last_publish;
          if (since >= st.publish_delay) {
            publish_now(self);
          } else {
            st.publish_scheduled = true;
            self->delayed_send(self, st.publish_delay - since, publish_atom_v);
          }
        }
      },
      [=](publish_atom) { publish_now(self); },
      [=](caf::get_atom) -> uint64_t {
        const auto& last = self->state.catalog.last;
        return last ? last->version : 0; // 0: nothing published yet
      },
      [=](ready_atom) -> caf::result<uint64_t> {
        auto& st = self->state;
        if (st.catalog.ready())
          return st.catalog.last->version;
        auto rp = self->make_response_promise<uint64_t>();
        st.ready_waiters.push_back(rp);
        return rp;
      },
      [=](product_atom, caf::put_atom, product p) {
        return put_product(self, std::move(p));
      },
      [=](avail_atom, caf::get_atom, const std::vector<std::string>& ids)
          -> caf::result<std::vector<stock_level>> {
        auto& st = self->state;
        if (!st.catalog.ready())
          return caf::make_error(berry_errc::unavailable,
                                 "not every warehouse has reported yet");
        return st.catalog.where(ids);
      },
  };
}

} // namespace

catalog_actor spawn_catalog(caf::actor_system& sys, catalog_init init) {
  return sys.spawn(catalog, std::move(init));
}

} // namespace berry
