#include "actors/order_manager.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <optional>
#include <set>
#include <unordered_map>

#include <caf/all.hpp>
#include <sodium.h>

#include "actors/clock.hpp"
#include "actors/deadline_set.hpp"
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

namespace {

/// A live order as the manager knows it.
struct live_order {
  order_actor handle;
  std::string user_id;
  /// user + '\n' + idempotency key (see key_tag).
  std::string key_tag;
  restart_history restarts;
  /// A checkout request has waited for it here: a repeat of its key is
  /// then "in use" until it is over. An order loaded from storage (a
  /// restart, or its shard moved here) has not: the request that made it
  /// ran elsewhere and ended, and the first repeat waits as it did.
  bool awaited = false;
};

/// What names a checkout's key: its user and the key.
std::string key_tag(const std::string& user, const std::string& key) {
  return user + '\n' + key;
}

struct manager_state {
  order_manager_init init;
  storage::database db;
  std::unordered_map<std::string, live_order> live;
  /// Orders by actor address, to read down messages.
  std::map<caf::actor_addr, std::string> by_addr;
  /// user + '\n' + key of checkouts whose order is being written.
  std::set<std::string> creating;
  /// The key tag of each live order -> its id: a repeated key is answered
  /// from memory while its order is live, and from storage after (the
  /// UNIQUE constraint on the key refuses the new order's row).
  std::unordered_map<std::string, std::string> live_keys;
  /// The running checkout of each user's cart: user -> order id, from the
  /// moment its order id is drawn until its checkout is over.
  std::unordered_map<std::string, std::string> cart_checkouts;
  /// Each user's orders whose checkout runs (the unpaid-orders limit).
  std::unordered_map<std::string, std::set<std::string>> unpaid;
  std::unique_ptr<wall_clock> clock;
  /// The checkouts waiting for their order, under one timer.
  deadline_set deadlines;
  /// Sharded (a cluster): the order shards hosted here, with their fences.
  std::map<int, shard_fence> hosted;
  static inline const char* name = "order_manager";
};

// Private: load a hosted shard's unfinished orders again (int32_t shard,
// int64_t epoch), after storage could not be read.
using load_atom = caf::atom_constant<caf::atom("ordload")>;

/// The order manager plus its deadline timer and its order shards.
using manager_impl = order_manager_actor::extend<
    caf::reacts_to<expire_atom>,
    caf::reacts_to<order_host_atom, int32_t, int64_t, int64_t>,
    caf::reacts_to<order_unhost_atom, int32_t>,
    caf::reacts_to<load_atom, int32_t, int64_t>>;

using self_ptr = manager_impl::stateful_pointer<manager_state>;

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

void start(self_ptr self, order_record rec, restart_history restarts = {}) {
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

using order_promise = caf::typed_response_promise<order_record>;

void deliver(order_promise& rp, caf::expected<order_record> x) {
  if (x)
    rp.deliver(std::move(*x));
  else
    rp.deliver(std::move(x.error()));
}

/// What a checkout of `x` answers: the order (paid or later, or still
/// going on), or the error that ended its checkout (berry::
/// checkout_failure_of).
caf::expected<order_record> checkout_answer(order_record x) {
  auto failed = checkout_failure_of(x);
  if (failed.code == berry_errc::none)
    return x;
  return caf::make_error(failed.code, std::move(failed.detail));
}

/// Answers the checkout of `x` once it is over; when the deadline passes
/// first, with the order as it is then (it goes on). A deadline of 0
/// answers with `x` at once.
void await_checkout(self_ptr self, order_record x, order_promise rp) {
  auto& st = self->state;
  auto deadline = st.init.checkout_deadline;
  auto i = st.live.find(x.id);
  if (checkout_over(x) || deadline.count() == 0 || i == st.live.end() ||
      !i->second.handle) {
    deliver(rp, checkout_answer(std::move(x)));
    return;
  }
  auto handle = i->second.handle;
  i->second.awaited = true;
  // The order as storage has it now, or as it was created.
  auto now_stored = [=] {
    auto rec = stored(self, x.user_id, x.id);
    return rec ? std::move(*rec) : x;
  };
  request_until<order_record>(
      self, st.deadlines, deadline, handle,
      [=](order_record& done) mutable {
        deliver(rp, checkout_answer(std::move(done)));
      },
      [=](caf::error& err) mutable {
        if (err == caf::sec::request_receiver_down) {
          deliver(rp, checkout_answer(now_stored()));
          return;
        }
        // Stopped because its shard moved (or the node stops): the asker
        // repeats the checkout, with its key, where the order now runs.
        if (is_error(err, berry_errc::unavailable)) {
          rp.deliver(std::move(err));
          return;
        }
        // Not over in time: it goes on; answer what it is now.
        self->request(handle, self->state.init.deps.step_timeout,
                      caf::get_atom_v)
            .then([=](order_record& now) mutable { rp.deliver(now); },
                  [=](caf::error&) mutable { rp.deliver(now_stored()); });
      },
      wait_atom_v);
}

/// The answer to a checkout whose key already made the live order `handle`.
void replay_live(self_ptr self, const checkout_request& req, order_actor handle,
                 order_promise rp);

/// The answer to a checkout whose key already made `existing`.
void replay(self_ptr self, const checkout_request& req, order_record existing,
            order_promise rp) {
  if (existing.request_hash != req.request_hash) {
    rp.deliver(caf::make_error(berry_errc::idempotency_key_reuse,
                               "this Idempotency-Key was used with another "
                               "body"));
    return;
  }
  auto& st = self->state;
  auto i = st.live.find(existing.id);
  if (i == st.live.end() && !is_final(existing.status) &&
      runs_here(st, existing.id)) {
    // Stored, unfinished and run by nobody: its insert was answered with an
    // unknown outcome (the connection to the database broke during the
    // commit) and the checkout gave up on it, yet it landed. The retry
    // starts it, as a restart of the node would.
    start(self, existing);
    await_checkout(self, std::move(existing), rp);
  } else if (i == st.live.end() || !i->second.handle) {
    deliver(rp, checkout_answer(std::move(existing)));
  } else {
    replay_live(self, req, i->second.handle, rp);
  }
}

/// The order of `req`'s key as storage has it, answered as a replay (or
/// unavailable when storage cannot be read); false when there is none.
bool replay_stored(self_ptr self, const checkout_request& req,
                   order_promise rp) {
  std::optional<order_record> rec;
  try {
    rec = storage::find_order_by_key(self->state.db, req.user_id,
                                     req.idempotency_key);
  } catch (const storage::db_error& e) {
    rp.deliver(storage_unavailable(e));
    return true;
  }
  if (!rec)
    return false;
  replay(self, req, std::move(*rec), rp);
  return true;
}

/// True when a checkout request has waited for live order `id` here.
bool awaited_here(const manager_state& st, const std::string& id) {
  auto i = st.live.find(id);
  return i != st.live.end() && i->second.awaited;
}

void replay_live(self_ptr self, const checkout_request& req, order_actor handle,
                 order_promise rp) {
  self->request(handle, caf::infinite, caf::get_atom_v)
      .then(
          [=](order_record& rec) mutable {
            if (rec.request_hash != req.request_hash)
              rp.deliver(caf::make_error(berry_errc::idempotency_key_reuse,
                                         "this Idempotency-Key was used with "
                                         "another body"));
            else if (checkout_over(rec))
              deliver(rp, checkout_answer(std::move(rec)));
            else if (!awaited_here(self->state, rec.id))
              await_checkout(self, std::move(rec), rp);
            else
              rp.deliver(
                  caf::make_error(berry_errc::idempotency_key_in_use,
                                  "a checkout with this key is running"));
          },
          [=](caf::error& err) mutable {
            // It ended meanwhile: storage has the last word.
            if (!replay_stored(self, req, rp))
              rp.deliver(std::move(err));
          });
}

/// A checkout that ended before its order was written: its key and its
/// cart are free again.
void abandon(self_ptr self, const checkout_request& req,
             const std::string& id) {
  self->state.creating.erase(key_tag(req.user_id, req.idempotency_key));
  end_cart_checkout(self, req.user_id, id);
}

/// Writes the new order `id`, starts its actor, answers the checkout.
void create(self_ptr self, checkout_request req, std::string id,
            std::vector<cart_line> lines, order_promise rp) {
  auto& st = self->state;
  auto tag = key_tag(req.user_id, req.idempotency_key);
  auto snapshot = st.init.catalog();
  auto priced =
      price_lines(lines, *snapshot, self->state.init.max_units_per_product);
  if (!priced.error.empty()) {
    abandon(self, req, id);
    // A repeat of a checkout whose cart has been emptied since.
    if (!replay_stored(self, req, rp))
      rp.deliver(caf::make_error(berry_errc::validation, priced.error));
    return;
  }
  order_record rec;
  rec.id = std::move(id);
  rec.user_id = req.user_id;
  rec.lines = std::move(priced.lines);
  rec.total = priced.total;
  rec.address = req.address;
  rec.payment_token = req.payment_token;
  rec.idempotency_key = req.idempotency_key;
  rec.request_hash = req.request_hash;
  rec.from_cart = req.lines.empty();
  rec.created_at_ms = (*st.clock)(self->clock().now());
  set_status(rec, order_status::pending, rec.created_at_ms);
  // No timeout: the journal answers every write (see order_runner's store).
  self->request(st.init.deps.journal, caf::infinite, write_atom_v,
                journal_batch{{order_created{rec}}, fence_of(st, rec.id)})
      .then(
          [=](uint64_t) mutable {
            self->state.creating.erase(tag);
            if (auto& c = self->state.init.counters)
              ++c->created;
            // Stored under its shard's fence: if the shard moved since, its
            // new owner found the order when it loaded the shard.
            if (!runs_here(self->state, rec.id)) {
              abandon(self, req, rec.id);
              deliver(rp, checkout_answer(rec));
              return;
            }
            start(self, rec);
            await_checkout(self, rec, rp);
          },
          [=](caf::error& err) mutable {
            abandon(self, req, rec.id);
            // The key made an order that has left memory: the UNIQUE
            // constraint refused this one, storage knows the first.
            if (!is_error(err, berry_errc::conflict) ||
                !replay_stored(self, req, rp))
              rp.deliver(std::move(err));
          });
}

caf::result<order_record> checkout(self_ptr self, checkout_request req) {
  auto& st = self->state;
  auto tag = key_tag(req.user_id, req.idempotency_key);
  if (st.creating.count(tag) > 0)
    return caf::make_error(berry_errc::idempotency_key_in_use,
                           "a checkout with this key is running");
  // A key seen before: its live order answers (no storage read). A key of
  // an order that is no longer live is found when its insert is refused.
  if (auto k = st.live_keys.find(tag); k != st.live_keys.end()) {
    auto rp = self->make_response_promise<order_record>();
    auto i = st.live.find(k->second);
    if (i != st.live.end() && i->second.handle)
      replay_live(self, req, i->second.handle, rp);
    else if (!replay_stored(self, req, rp))
      rp.deliver(caf::make_error(berry_errc::unavailable,
                                 "the order is restarting; try again"));
    return rp;
  }
  // One checkout of a cart at a time, whatever keys the client sends.
  auto running = st.cart_checkouts.find(req.user_id);
  if (req.lines.empty() && running != st.cart_checkouts.end())
    return caf::make_error(berry_errc::conflict,
                           "a checkout of this cart is running",
                           running->second);
  // Scalping: one user may hold only so many orders that are not paid yet.
  if (auto cap = st.init.max_unpaid_per_user;
      cap > 0 && unpaid_orders(st, req.user_id) >= cap)
    return caf::make_error(berry_errc::rate_limited,
                           "too many of your orders are still being paid; "
                           "wait for one to finish",
                           int64_t{1});
  auto drawn = new_hosted_order_id(st, (*st.clock)(self->clock().now()));
  if (!drawn)
    return caf::make_error(berry_errc::unavailable,
                           "this node runs no orders now; try again");
  auto id = std::move(*drawn);
  st.creating.insert(tag);
  auto rp = self->make_response_promise<order_record>();
  if (!req.lines.empty()) {
    create(self, req, id, req.lines, rp);
    return rp;
  }
  st.cart_checkouts[req.user_id] = id;
  self->request(st.init.deps.carts, st.init.deps.step_timeout, caf::get_atom_v,
                req.user_id)
      .then(
          [=](std::vector<cart_line>& lines) mutable {
            create(self, req, id, std::move(lines), rp);
          },
          [=](caf::error& err) mutable {
            abandon(self, req, id);
            rp.deliver(std::move(err));
          });
  return rp;
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
      rp.deliver(caf::make_error(berry_errc::unavailable,
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
      [=](load_atom, int32_t shard, int64_t epoch) {
        auto h = self->state.hosted.find(shard);
        if (h != self->state.hosted.end() && h->second.epoch == epoch)
          resume_shard(self, shard);
      },
  };
}

} // namespace

order_manager_actor spawn_order_manager(caf::actor_system& sys,
                                        order_manager_init init) {
  if (init.detached)
    return sys.spawn<caf::detached>(manager, std::move(init));
  return sys.spawn(manager, std::move(init));
}

} // namespace berry
