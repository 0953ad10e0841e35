// Checkouts (actors/order_manager_state.hpp): a new order written and
// started, and the repeats of a key answered from the live order or from
// storage, waiting for it while no other request does.

#include <caf/all.hpp>

#include "actors/order_manager_state.hpp"
#include "actors/order_state.hpp"
#include "config/logging.hpp"
#include "protocols/errors.hpp"
#include "storage/database.hpp"
#include "storage/order_repo.hpp"

namespace berry::order_manager_detail {

namespace {
/// The pause between looks for an order whose insert's outcome was unknown,
/// and how many looks before it is left to the node's next start.
constexpr auto recheck_pause = std::chrono::seconds(1);
constexpr int32_t recheck_tries = 300;
} // namespace

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
        if (is_error(err, berry_errc::shard_moved) ||
            is_error(err, berry_errc::unavailable)) {
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
            // The store was away, or went away during the commit: the order
            // may have landed. Once the store answers again, it goes on if
            // it did, whether or not the client repeats the checkout.
            if (is_error(err, berry_errc::unavailable))
              self->delayed_send(self, recheck_pause, recheck_atom::value,
                                 req.user_id, req.idempotency_key, int32_t{0});
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
    return caf::make_error(berry_errc::shard_moved,
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

void recheck(self_ptr self, const std::string& user, const std::string& key,
             int32_t tries) {
  auto& st = self->state;
  auto tag = key_tag(user, key);
  // A repeat of the checkout came first, and took it from there.
  if (st.creating.count(tag) > 0 || st.live_keys.count(tag) > 0)
    return;
  std::optional<order_record> rec;
  try {
    rec = storage::find_order_by_key(st.db, user, key);
  } catch (const storage::db_error& e) {
    if (tries + 1 < recheck_tries)
      self->delayed_send(self, recheck_pause, recheck_atom::value, user, key,
                         tries + 1);
    else
      log::warn("order manager: an order whose insert's outcome was unknown "
                "waits for the next start",
                {{"user", user}, {"error", e.what()}});
    return;
  }
  if (!rec || is_final(rec->status) || st.live.count(rec->id) > 0 ||
      !runs_here(st, rec->id))
    return;
  log::info("an order whose insert's outcome was unknown was stored; it goes "
            "on",
            {{"order", rec->id}});
  start(self, std::move(*rec));
}

} // namespace berry::order_manager_detail
