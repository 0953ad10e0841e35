#include "actors/order_manager.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <optional>
#include <set>
#include <unordered_map>

#include <caf/all.hpp>

#include "actors/order_manager_state.hpp"
#include "actors/order_shards.hpp"
#include "actors/order_state.hpp"
#include "config/logging.hpp"
#include "protocols/errors.hpp"
#include "storage/database.hpp"
#include "storage/order_repo.hpp"

namespace berry {

priced_lines price_lines(const std::vector<cart_line>& lines,
                         const catalog_snapshot& catalog, int32_t max_units) {
  priced_lines out;
  if (lines.empty()) {
    out.error = "the order has no lines (the cart is empty)";
    return out;
  }
  if (lines.size() > 100) {
    out.error = "at most 100 lines";
    return out;
  }
  for (auto& l : lines) {
    auto* entry = catalog.find(l.product_id);
    if (entry == nullptr) {
      out.error = "unknown product " + l.product_id;
      return out;
    }
    if (l.qty < 1 || l.qty > max_units) {
      out.error =
          "qty of " + l.product_id + " must be 1.." + std::to_string(max_units);
      return out;
    }
    // One line per product: the cap on units holds for the product,
    // however many lines name it.
    auto same = std::find_if(
        out.lines.begin(), out.lines.end(),
        [&](const order_line& o) { return o.product_id == l.product_id; });
    if (same != out.lines.end() && same->qty + l.qty > max_units) {
      out.error = "at most " + std::to_string(max_units) + " units of " +
                  l.product_id + " in one order";
      return out;
    }
    int64_t cost = 0;
    if (__builtin_mul_overflow(entry->item.price, int64_t{l.qty}, &cost) ||
        __builtin_add_overflow(out.total, cost, &out.total)) {
      out.error = "the order's total is too large";
      return out;
    }
    if (same != out.lines.end())
      same->qty += l.qty;
    else
      out.lines.push_back({l.product_id, l.qty, entry->item.price, {}});
  }
  return out;
}

namespace order_manager_detail {
namespace {

/// A cancel no live actor took, answered from storage (see
/// berry::cancel_from_storage).
caf::expected<order_record>
cancel_stored(self_ptr self, const std::string& user, const std::string& id) {
  auto rec = stored(self, user, id);
  if (!rec)
    return rec;
  switch (cancel_from_storage(*rec)) {
  case berry_errc::none:
    return rec;
  case berry_errc::unavailable:
    return caf::make_error(berry_errc::unavailable,
                           "the order is restarting; try again");
  default:
    return caf::make_error(berry_errc::conflict,
                           "the order can no longer be cancelled");
  }
}

/// Asks the live order `id` with `xs...`; if there is none, or it ended
/// before it answered, `fallback(self, user, id)` answers from storage
/// instead (`stored`, or `cancel_stored` for a cancel).
template <class Fallback, class... Ts>
caf::result<order_record> ask_order(self_ptr self, const std::string& user,
                                    const std::string& id, Fallback fallback,
                                    Ts... xs) {
  auto i = self->state.live.find(id);
  // No actor, someone else's, or crashed and waiting for its restart.
  if (i == self->state.live.end() || !owned(i->second, user) ||
      !i->second.handle) {
    auto rec = fallback(self, user, id);
    if (!rec)
      return std::move(rec.error());
    return std::move(*rec);
  }
  auto rp = self->make_response_promise<order_record>();
  self->request(i->second.handle, caf::infinite, xs...)
      .then([=](order_record& rec) mutable { rp.deliver(std::move(rec)); },
            [=](caf::error& err) mutable {
              if (err != caf::sec::request_receiver_down) {
                rp.deliver(std::move(err));
                return;
              }
              auto rec = fallback(self, user, id);
              if (rec)
                rp.deliver(std::move(*rec));
              else
                rp.deliver(std::move(rec.error()));
            });
  return rp;
}

/// A return: the order's actor (started again from storage when the order
/// is delivered and no longer live) undoes the sale. An actor that ended
/// just as it was asked is started again.
void return_order(self_ptr self, const std::string& user, const std::string& id,
                  order_promise rp, int attempts = 0) {
  auto& st = self->state;
  auto i = st.live.find(id);
  if (i != st.live.end() && !owned(i->second, user)) {
    rp.deliver(not_found());
    return;
  }
  if (i == st.live.end()) {
    if (!runs_here(st, id)) {
      rp.deliver(caf::make_error(berry_errc::shard_moved,
                                 "the order is served by another node"));
      return;
    }
    auto rec = stored(self, user, id);
    if (!rec) {
      rp.deliver(std::move(rec.error()));
      return;
    }
    if (rec->status == order_status::returned) {
      rp.deliver(std::move(*rec));
      return;
    }
    if (rec->status != order_status::delivered) {
      rp.deliver(caf::make_error(berry_errc::conflict,
                                 "only a delivered order can be returned"));
      return;
    }
    start(self, std::move(*rec));
    i = st.live.find(id);
  }
  if (!i->second.handle) {
    // Crashed and waiting for its restart.
    rp.deliver(caf::make_error(berry_errc::unavailable,
                               "the order is restarting; try again"));
    return;
  }
  auto handle = i->second.handle;
  self->request(handle, caf::infinite, return_atom_v)
      .then([=](order_record& rec) mutable { rp.deliver(std::move(rec)); },
            [=](caf::error& err) mutable {
              auto& st = self->state;
              auto j = st.live.find(id);
              if (err == caf::sec::request_receiver_down && attempts < 3) {
                if (j != st.live.end() && j->second.handle == handle)
                  drop_live(self, j);
                return_order(self, user, id, rp, attempts + 1);
                return;
              }
              rp.deliver(std::move(err));
            });
}

manager_impl::behavior_type manager(self_ptr self, order_manager_init init) {
  auto& st = self->state;
  st.db = storage::database::open(init.db_path, storage::open_mode::read_only);
  st.init = std::move(init);
  st.clock = std::make_unique<wall_clock>(self->clock().now());
  self->set_down_handler([=](caf::down_msg& msg) { on_down(self, msg); });
  // The order actors go down with their manager (a node shutting down);
  // each goes on from storage at the next start.
  self->set_exit_handler([=](caf::exit_msg& msg) {
    for (auto& [id, o] : self->state.live)
      if (o.handle)
        self->send_exit(o.handle, msg.reason);
    self->quit(msg.reason);
  });
  // Sharded, each order shard's orders resume as it is hosted here.
  auto open = st.init.sharded ? std::vector<order_record>{}
                              : storage::load_open_orders(st.db);
  if (!open.empty())
    log::info("resuming unfinished orders", {{"count", open.size()}});
  for (auto& rec : open)
    start(self, std::move(rec));
  return {
      [=](checkout_atom, checkout_request& req) {
        return checkout(self, std::move(req));
      },
      [=](wait_atom, const std::string& user, const std::string& id) {
        return ask_order(self, user, id, stored, wait_atom_v);
      },
      [=](caf::get_atom, const std::string& user, const std::string& id) {
        return ask_order(self, user, id, stored, caf::get_atom_v);
      },
      [=](list_atom,
          const std::string& user) -> caf::result<std::vector<order_record>> {
        try {
          return storage::load_user_orders(self->state.db, user);
        } catch (const storage::db_error& e) {
          return storage_unavailable(e);
        }
      },
      [=](cancel_atom, const std::string& user, const std::string& id) {
        return ask_order(self, user, id, cancel_stored, cancel_atom_v);
      },
      [=](return_atom, const std::string& user, const std::string& id) {
        auto rp = self->make_response_promise<order_record>();
        return_order(self, user, id, rp);
        return rp;
      },
      [=](step_atom, const std::string& id) { restart(self, id); },
      [=](expire_atom) { on_deadline_timer(self, self->state.deadlines); },
      [=](order_host_atom, int32_t shard, int64_t key, int64_t epoch) {
        self->state.hosted[shard] = shard_fence{key, epoch};
        resume_shard(self, shard);
      },
      [=](order_unhost_atom, int32_t shard) { unhost_shard(self, shard); },
      [=](recheck_atom, const std::string& user, const std::string& key,
          int32_t tries) { recheck(self, user, key, tries); },
      [=](load_atom, int32_t shard, int64_t epoch) {
        auto h = self->state.hosted.find(shard);
        if (h != self->state.hosted.end() && h->second.epoch == epoch)
          resume_shard(self, shard);
      },
  };
}

} // namespace
} // namespace order_manager_detail

order_manager_actor spawn_order_manager(caf::actor_system& sys,
                                        order_manager_init init) {
  using order_manager_detail::manager;
  if (init.detached)
    return sys.spawn<caf::detached>(manager, std::move(init));
  return sys.spawn(manager, std::move(init));
}

} // namespace berry
