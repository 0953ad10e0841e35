#include "actors/warehouse.hpp"

#include <caf/all.hpp>

#include "storage/catalog_repo.hpp"

namespace berry {

stock_level warehouse_state::get(const std::string& product_id) const {
  auto i = stock.find(product_id);
  if (i != stock.end())
    return i->second;
  return stock_level{info.id, product_id, 0, 0};
}

berry_errc warehouse_state::check_on_hand(const std::string& product_id,
                                          int64_t on_hand) const {
  if (on_hand < 0)
    return berry_errc::validation;
  if (on_hand < get(product_id).reserved)
    return berry_errc::conflict;
  return berry_errc::none;
}

stock_level warehouse_state::set_on_hand(const std::string& product_id,
                                         int64_t on_hand) {
  auto level = get(product_id);
  level.on_hand = on_hand;
  stock[product_id] = level;
  return level;
}

availability_report warehouse_state::report_all() const {
  availability_report r{info.id, {}};
  r.items.reserve(stock.size());
  for (auto& [id, level] : stock)
    r.items.push_back({id, level.available()});
  return r;
}

availability_report
warehouse_state::report_one(const std::string& product_id) const {
  return {info.id, {{product_id, get(product_id).available()}}};
}

namespace {

/// The actor's state: the pure stock plus its peers.
struct warehouse_actor_state {
  warehouse_state wh;
  journal_actor journal;
  catalog_actor catalog;
  static inline const char* name = "warehouse";
};

using self_ptr = warehouse_actor::stateful_pointer<warehouse_actor_state>;

constexpr auto journal_timeout = std::chrono::seconds(10);

warehouse_actor::behavior_type warehouse(self_ptr self, warehouse_init init) {
  auto& st = self->state;
  st.wh.info = std::move(init.info);
  for (auto& level : init.stock)
    st.wh.stock.emplace(level.product_id, level);
  st.journal = std::move(init.journal);
  st.catalog = std::move(init.catalog);
  self->send(st.catalog, avail_atom_v, st.wh.report_all());
  return {
    [=](stock_atom, caf::get_atom, const std::string& product_id) {
      return self->state.wh.get(product_id);
    },
    [=](stock_atom, caf::put_atom, const std::string& product_id,
        int64_t on_hand) -> caf::result<stock_level> {
      auto& st = self->state;
      if (auto why = st.wh.check_on_hand(product_id, on_hand);
          why != berry_errc::none)
        return caf::make_error(why, "on_hand", on_hand);
      // The state changes now, so the next message already sees it; the
      // caller hears back only once the change is durable.
      auto before = st.wh.get(product_id);
      auto level = st.wh.set_on_hand(product_id, on_hand);
      self->send(st.catalog, avail_atom_v, st.wh.report_one(product_id));
      auto rp = self->make_response_promise<stock_level>();
      db_batch batch{{storage::put_stock(level)}};
      self->request(st.journal, journal_timeout, write_atom_v, std::move(batch))
        .then([rp, level](uint64_t) mutable { rp.deliver(level); },
              [=](caf::error& err) mutable {
                auto& st = self->state;
                // Undo, unless a later change already replaced ours.
                if (st.wh.get(product_id).on_hand == level.on_hand) {
                  st.wh.stock[product_id] = before;
                  self->send(st.catalog, avail_atom_v,
                             st.wh.report_one(product_id));
                }
                rp.deliver(std::move(err));
              });
      return rp;
    },
  };
}

} // namespace

warehouse_actor spawn_warehouse(caf::actor_system& sys, warehouse_init init) {
  return sys.spawn(warehouse, std::move(init));
}

} // namespace berry
