// The order manager's live orders (actors/order_manager_state.hpp): new
// ids in the shards hosted here, starting an order's actor and forgetting
// it, restarts after a crash, and the order shards given and taken away.

#include <algorithm>
#include <cstdio>

#include <sodium.h>

#include <caf/all.hpp>

#include "actors/order_manager_state.hpp"
#include "actors/order_shards.hpp"
#include "actors/order_state.hpp"
#include "config/logging.hpp"
#include "protocols/errors.hpp"
#include "storage/database.hpp"
#include "storage/order_repo.hpp"

namespace berry::order_manager_detail {

namespace {

// The time it was made (Unix ms, 11 hex digits) and 64 bits from
// libsodium's CSPRNG: an order id cannot be guessed from others, and the
// ids of orders made together sort together, so the rows and index entries
// a checkout writes (every table keyed by order id) go to the few b-tree
// pages that the other checkouts of the same commit write too, where random
// ids put each on a page of its own.
std::string new_order_id(int64_t now_ms) {
  unsigned char bin[8];
  randombytes_buf(bin, sizeof bin);
  char hex[2 + 11 + sizeof bin * 2 + 1];
  std::snprintf(hex, 14, "o-%011llx",
                static_cast<unsigned long long>(std::max<int64_t>(0, now_ms)));
  sodium_bin2hex(hex + 13, sizeof hex - 13, bin, sizeof bin);
  return hex;
}

} // namespace

/// True when order `id` runs on this node: always on a single node; in a
/// cluster while its order shard is hosted here.
bool runs_here(const manager_state& st, const std::string& id) {
  return !st.init.sharded || st.hosted.count(order_shard_of(id)) > 0;
}

/// The fence the writes of order `id` carry (none on a single node).
shard_fence fence_of(const manager_state& st, const std::string& id) {
  if (!st.init.sharded)
    return {};
  auto i = st.hosted.find(order_shard_of(id));
  return i == st.hosted.end() ? shard_fence{} : i->second;
}

/// A new order's id, in an order shard hosted here (random ids: drawn
/// until one falls in one, 16 draws at most on average); nothing when this
/// node hosts none.
std::optional<std::string> new_hosted_order_id(const manager_state& st,
                                               int64_t now_ms) {
  if (st.init.sharded && st.hosted.empty())
    return std::nullopt;
  for (;;) {
    auto id = new_order_id(now_ms);
    if (runs_here(st, id))
      return id;
  }
}

bool owned(const live_order& o, const std::string& user) {
  return o.user_id == user;
}

void count_open(self_ptr self) {
  if (auto& c = self->state.init.counters)
    c->open = static_cast<int64_t>(self->state.live.size());
}

/// Forgets a live order (and its key): it ended, or starts again.
void drop_live(self_ptr self,
               std::unordered_map<std::string, live_order>::iterator i) {
  auto& st = self->state;
  auto k = st.live_keys.find(i->second.key_tag);
  if (k != st.live_keys.end() && k->second == i->first)
    st.live_keys.erase(k);
  st.live.erase(i);
}

caf::error not_found() {
  return caf::make_error(berry_errc::not_found, "no such order");
}

/// Forgets order `id` among `user`'s running checkouts (and as its cart's).
void end_cart_checkout(self_ptr self, const std::string& user,
                       const std::string& id) {
  auto& running = self->state.cart_checkouts;
  auto i = running.find(user);
  if (i != running.end() && i->second == id)
    running.erase(i);
  auto u = self->state.unpaid.find(user);
  if (u != self->state.unpaid.end() && u->second.erase(id) > 0 &&
      u->second.empty())
    self->state.unpaid.erase(u);
}

/// Orders of `user` whose checkout runs, or is being created.
size_t unpaid_orders(const manager_state& st, const std::string& user) {
  auto u = st.unpaid.find(user);
  size_t n = u == st.unpaid.end() ? 0 : u->second.size();
  auto prefix = user + '\n';
  for (auto i = st.creating.lower_bound(prefix);
       i != st.creating.end() && i->compare(0, prefix.size(), prefix) == 0; ++i)
    ++n;
  return n;
}

/// Keeps `rec` among its user's running checkouts (and as its cart's, for
/// a checkout of the cart) until its order says the checkout is over. An
/// actor that crashes is watched again when it restarts (start).
void watch_cart_checkout(self_ptr self, const order_record& rec,
                         const order_actor& handle) {
  if (checkout_over(rec))
    return;
  self->state.unpaid[rec.user_id].insert(rec.id);
  if (rec.from_cart)
    self->state.cart_checkouts[rec.user_id] = rec.id;
  auto user = rec.user_id;
  auto id = rec.id;
  self->request(handle, caf::infinite, wait_atom_v)
      .then([=](order_record&) { end_cart_checkout(self, user, id); },
            [=](caf::error&) {
              auto i = self->state.live.find(id);
              if (i == self->state.live.end()) // not restarting
                end_cart_checkout(self, user, id);
            });
}

void start(self_ptr self, order_record rec, restart_history restarts) {
  auto& st = self->state;
  auto deps = st.init.deps;
  deps.fence = fence_of(st, rec.id);
  auto handle = spawn_order(self->system(), rec, std::move(deps));
  self->monitor(handle);
  st.by_addr[handle.address()] = rec.id;
  auto tag = key_tag(rec.user_id, rec.idempotency_key);
  if (!rec.idempotency_key.empty())
    st.live_keys[tag] = rec.id;
  st.live[rec.id] =
      live_order{handle, rec.user_id, std::move(tag), std::move(restarts)};
  count_open(self);
  watch_cart_checkout(self, rec, handle);
  if (st.init.on_spawn)
    st.init.on_spawn(rec.id, handle);
}

/// The answer when a read of storage fails (the database is away): the
/// client may try again; the manager goes on.
caf::error storage_unavailable(const storage::db_error& e) {
  log::warn("order manager: storage read failed", {{"error", e.what()}});
  return caf::make_error(berry_errc::unavailable,
                         "the order store is unavailable; try again");
}

/// An order read from storage, checked against the caller.
caf::expected<order_record> stored(self_ptr self, const std::string& user,
                                   const std::string& id) {
  std::optional<order_record> rec;
  try {
    rec = storage::load_order(self->state.db, id);
  } catch (const storage::db_error& e) {
    return storage_unavailable(e);
  }
  if (!rec || rec->user_id != user)
    return not_found();
  return std::move(*rec);
}

/// A crashed order comes back from storage after a pause that doubles with
/// each restart; past the limit it waits for the next start of the node.
void on_down(self_ptr self, const caf::down_msg& msg) {
  auto& st = self->state;
  auto a = st.by_addr.find(msg.source);
  if (a == st.by_addr.end())
    return;
  auto id = a->second;
  st.by_addr.erase(a);
  auto i = st.live.find(id);
  if (i == st.live.end() ||
      (i->second.handle && i->second.handle.address() != msg.source))
    return; // gone already, or replaced by a newer actor
  if (!msg.reason || msg.reason == caf::exit_reason::normal) {
    drop_live(self, i);
    count_open(self);
    return;
  }
  auto& restarts = i->second.restarts;
  i->second.handle = nullptr;
  auto pause = restarts.next(st.init.restart, self->clock().now());
  if (!pause) {
    log::error("order actor keeps failing; left until the next start",
               {{"order", id}, {"error", self->system().render(msg.reason)}});
    end_cart_checkout(self, i->second.user_id, id);
    drop_live(self, i);
    count_open(self);
    return;
  }
  log::warn("order actor failed; restarting",
            {{"order", id},
             {"error", self->system().render(msg.reason)},
             {"restart", restarts.count()}});
  self->delayed_send(self, *pause, step_atom_v, id);
}

void restart(self_ptr self, const std::string& id) {
  auto& st = self->state;
  auto i = st.live.find(id);
  if (i == st.live.end() || i->second.handle)
    return;
  std::optional<order_record> rec;
  try {
    rec = storage::load_order(st.db, id);
  } catch (const storage::db_error& e) {
    // The database is away (a restart, a failover): try again in a while.
    log::warn("order restart waits for storage",
              {{"order", id}, {"error", e.what()}});
    self->delayed_send(self, std::chrono::seconds(1), step_atom_v, id);
    return;
  }
  auto restarts = std::move(i->second.restarts);
  drop_live(self, i);
  if (rec)
    start(self, std::move(*rec), std::move(restarts));
}

/// Starts the unfinished orders of a hosted shard that are not live yet;
/// when storage cannot be read, tries again in a second.
void resume_shard(self_ptr self, int32_t shard) {
  auto& st = self->state;
  auto h = st.hosted.find(shard);
  if (h == st.hosted.end())
    return;
  std::vector<order_record> open;
  try {
    open = storage::load_open_orders_of(st.db, [&](const std::string& id) {
      return order_shard_of(id) == shard && st.live.count(id) == 0;
    });
  } catch (const storage::db_error& e) {
    log::warn("order shard waits for storage",
              {{"shard", order_shard_id(shard)}, {"error", e.what()}});
    self->delayed_send(self, std::chrono::seconds(1), load_atom::value, shard,
                       h->second.epoch);
    return;
  }
  log::info("order shard hosted here", {{"shard", order_shard_id(shard)},
                                        {"epoch", h->second.epoch},
                                        {"resumed", open.size()}});
  for (auto& rec : open)
    start(self, std::move(rec));
}

/// Stops the live orders of a shard no longer hosted here, cancelling
/// nothing: its new owner goes on with them from storage.
void unhost_shard(self_ptr self, int32_t shard) {
  auto& st = self->state;
  if (st.hosted.erase(shard) == 0)
    return;
  std::vector<std::string> ids;
  for (auto& [id, o] : st.live)
    if (order_shard_of(id) == shard)
      ids.push_back(id);
  for (auto& id : ids) {
    auto i = st.live.find(id);
    auto handle = i->second.handle;
    drop_live(self, i); // its down message then finds nothing to restart
    if (handle) {
      st.by_addr.erase(handle.address());
      self->send_exit(handle, caf::exit_reason::user_shutdown);
    }
  }
  count_open(self);
  log::info("order shard let go",
            {{"shard", order_shard_id(shard)}, {"stopped", ids.size()}});
}

} // namespace berry::order_manager_detail
