// The warehouse actor: routes each message to a decision of its pure state
// (actors/warehouse_state.cpp), then, for a real change:
//
//   recall ──> decide ──> apply to state ──> report ──> journal ──ok──> forget,
//   (from storage if      (the next message sees it)      │            answer
//    not in memory)                                        └─error─> undo,
//                                                           report, answer
//
// Settled holds (committed, released, restocked) leave memory once stored
// and come back from storage when their order does (a return, a repeat).
// An idempotent repeat changes nothing; while a change of the same order is
// still on its way to disk, the repeat waits for it (an empty journal write
// queues behind it) and is then decided again, so nobody hears "done" about
// a change that may yet be undone. A commit may bring commands of its order
// (its paid status): they go into the change's batch, all or nothing, or
// alone when the change is a repeat.

#include "actors/warehouse.hpp"

#include <algorithm>
#include <functional>
#include <utility>

#include <caf/all.hpp>

#include "actors/clock.hpp"
#include "config/logging.hpp"
#include "storage/database.hpp"

namespace berry {

namespace {

/// The actor's state: the pure warehouse plus what only an actor has.
struct warehouse_actor_state {
  warehouse_state wh;
  journal_actor journal;
  /// The warehouse's shard and epoch in a cluster; every change carries it.
  shard_fence fence;
  catalog_actor catalog;
  hold_finder find_hold;
  std::chrono::milliseconds ttl{std::chrono::minutes(15)};
  std::optional<wall_clock> wall;
  /// When the armed expiry timer fires (wall ms), if one is armed.
  std::optional<int64_t> timer_at;
  /// Journal writes on their way, per order id ("" for admin counts).
  std::unordered_map<std::string, int> inflight;
  static inline const char* name = "warehouse";
};

using self_ptr = warehouse_actor::stateful_pointer<warehouse_actor_state>;

using decide_fn = std::function<warehouse_decision(const warehouse_state&)>;
template <class T>
using answer_fn = std::function<T(const warehouse_state&)>;
template <class T>
using done_fn = std::function<void(caf::expected<T>)>;

/// After a failed expiry, the next try waits at least this long.
constexpr auto expiry_retry = std::chrono::milliseconds(1000);

int64_t now_ms(self_ptr self) {
  return (*self->state.wall)(self->clock().now());
}

/// Arms the expiry timer for the earliest reservation, unless an armed
/// timer fires before it anyway.
void arm(self_ptr self, std::chrono::milliseconds at_least = {}) {
  auto& st = self->state;
  auto next = st.wh.next_expiry();
  if (!next || (st.timer_at && *st.timer_at <= *next))
    return;
  auto now = now_ms(self);
  auto delay = std::max(std::chrono::milliseconds(*next - now), at_least);
  st.timer_at = now + delay.count();
  self->delayed_send(self, delay, expire_atom_v);
}

/// Brings the stored hold of `order_id` into memory if it is not there.
caf::error recall(self_ptr self, const std::string& order_id) {
  auto& st = self->state;
  if (order_id.empty() || !st.find_hold || st.wh.orders.count(order_id) > 0)
    return {};
  try {
    if (auto h = st.find_hold(order_id))
      st.wh.recall(order_id, std::move(*h));
    return {};
  } catch (const std::exception& e) {
    // The store's own words stay in the log: they name hosts and tables.
    if (storage::store_unreachable(e))
      return caf::make_error(berry_errc::unavailable,
                             "the stock store is unavailable; try again");
    return caf::make_error(berry_errc::storage_failure, e.what());
  }
}

/// Lets a settled hold go once nothing of its order is on its way to disk.
void tidy(self_ptr self, const std::string& order_id) {
  auto& st = self->state;
  if (st.inflight.count(order_id) == 0)
    st.wh.forget(order_id);
}

/// One journal write of `order_id` came back (and was undone if it failed).
void finished(self_ptr self, const std::string& order_id) {
  auto& st = self->state;
  if (--st.inflight[order_id] <= 0)
    st.inflight.erase(order_id);
  tidy(self, order_id);
}

/// Stores `extra` alone (a change already stored, or none), then `done`.
template <class T>
void store_extra(self_ptr self, journal_batch extra, T value, done_fn<T> done) {
  if (extra.commands.empty())
    return done(std::move(value));
  self->request(self->state.journal, caf::infinite, write_atom_v,
                std::move(extra))
      .then([=](uint64_t) { done(value); },
            [=](caf::error& err) { done(std::move(err)); });
}

/// Decides about `order_id` ("" for an admin count), applies, journals it
/// with `extra` in one batch, and calls `done` once the outcome is durable.
template <class T>
void settle(self_ptr self, const std::string& order_id, decide_fn decide,
            answer_fn<T> answer, done_fn<T> done, journal_batch extra = {}) {
  auto& st = self->state;
  if (auto err = recall(self, order_id))
    return done(std::move(err));
  auto d = decide(st.wh);
  if (d.error != berry_errc::none) {
    tidy(self, order_id);
    return done(caf::make_error(d.error, d.detail));
  }
  auto c = std::move(d.change);
  if (c.empty()) {
    if (st.inflight.count(order_id) == 0) {
      auto value = answer(st.wh);
      tidy(self, order_id);
      return store_extra<T>(self, std::move(extra), std::move(value), done);
    }
    self->request(st.journal, caf::infinite, write_atom_v, journal_batch{})
        .then(
            [=](uint64_t) {
              settle<T>(self, order_id, decide, answer, done, extra);
            },
            [=](caf::error& err) { done(std::move(err)); });
    return;
  }
  st.wh.apply(c);
  auto value = answer(st.wh);
  self->send(st.catalog, avail_atom_v, st.wh.report(c));
  if (c.after && c.after->state == hold_state::reserved)
    arm(self);
  ++st.inflight[c.order_id];
  auto batch = st.wh.batch(c, now_ms(self));
  batch.fence = st.fence;
  for (auto& cmd : extra.commands)
    batch.commands.push_back(std::move(cmd));
  // No timeout: a write that timed out might still commit, and undoing it
  // here would then part the state from the database.
  self->request(st.journal, caf::infinite, write_atom_v, std::move(batch))
      .then(
          [=](uint64_t) {
            finished(self, c.order_id);
            done(value);
          },
          [=](caf::error& err) {
            auto& st = self->state;
            if (is_error(err, berry_errc::shard_moved)) {
              // Another node owns the warehouse now: this one stops, its
              // memory no longer the truth (nothing of the change landed).
              log::warn("warehouse stops: its shard moved",
                        {{"warehouse", st.wh.info.id}});
              done(err);
              self->quit(err);
              return;
            }
            if (is_error(err, berry_errc::unavailable)) {
              // Maybe stored, maybe not: neither keep nor undo the change
              // in memory. The supervisor starts the warehouse again from
              // what storage holds.
              log::warn("warehouse reloads: a write's outcome is unknown",
                        {{"warehouse", st.wh.info.id}, {"order", c.order_id}});
              done(err);
              self->quit(err);
              return;
            }
            st.wh.undo(c);
            finished(self, c.order_id);
            self->send(st.catalog, avail_atom_v, st.wh.report(c));
            log::warn("warehouse change undone",
                      {{"warehouse", st.wh.info.id},
                       {"order", c.order_id},
                       {"error", self->system().render(err)}});
            done(std::move(err));
          });
}

/// settle, answering the sender of the current message.
template <class T>
caf::result<T> run(self_ptr self, const std::string& order_id, decide_fn decide,
                   answer_fn<T> answer, journal_batch extra = {}) {
  auto rp = self->make_response_promise<T>();
  settle<T>(
      self, order_id, std::move(decide), std::move(answer),
      [rp](caf::expected<T> x) mutable {
        if (x)
          rp.deliver(std::move(*x));
        else
          rp.deliver(x.error());
      },
      std::move(extra));
  return rp;
}

/// Holds the lines of `r`, storing `with` in the same batch.
caf::result<reservation> reserve(self_ptr self, const reserve_request& r,
                                 journal_batch with) {
  auto expires = now_ms(self) + self->state.ttl.count();
  return run<reservation>(
      self, r.order_id,
      [=](const warehouse_state& wh) { return wh.decide_reserve(r, expires); },
      [id = r.order_id](const warehouse_state& wh) {
        return wh.reservation_of(id);
      },
      std::move(with));
}

/// Releases every reservation whose time is up, then re-arms the timer.
void expire_due(self_ptr self) {
  auto& st = self->state;
  auto now = now_ms(self);
  if (st.timer_at && *st.timer_at <= now)
    st.timer_at.reset();
  for (auto& id : st.wh.due(now)) {
    settle<bool>(
        self, id,
        [=](const warehouse_state& wh) { return wh.decide_expire(id, now); },
        [](const warehouse_state&) { return true; },
        [=](caf::expected<bool> x) {
          if (x) {
            log::info("reservation expired",
                      {{"warehouse", self->state.wh.info.id}, {"order", id}});
          } else {
            arm(self, expiry_retry);
          }
        });
  }
  arm(self);
}

warehouse_actor::behavior_type warehouse(self_ptr self, warehouse_init init) {
  auto& st = self->state;
  st.wh.info = std::move(init.info);
  for (auto& level : init.stock)
    st.wh.stock.emplace(level.product_id, level);
  st.wh.resume(init.reservations);
  st.find_hold = std::move(init.find_hold);
  st.journal = std::move(init.journal);
  st.fence = init.fence;
  st.catalog = std::move(init.catalog);
  st.ttl = init.reservation_ttl;
  st.wall.emplace(self->clock().now());
  self->send(st.catalog, avail_atom_v, st.wh.report_all());
  arm(self);
  using wh_t = const warehouse_state&;
  return {
      [=](stock_atom, caf::get_atom, const std::string& pid) {
        return self->state.wh.get(pid);
      },
      [=](stock_atom, caf::put_atom, const std::string& pid, int64_t on_hand) {
        return run<stock_level>(
            self, "", [=](wh_t wh) { return wh.decide_on_hand(pid, on_hand); },
            [=](wh_t wh) { return wh.get(pid); });
      },
      [=](reserve_atom, const reserve_request& r) {
        return reserve(self, r, {});
      },
      [=](reserve_atom, const reserve_request& r, journal_batch& with) {
        return reserve(self, r, std::move(with));
      },
      [=](commit_atom, const std::string& id) {
        return run<bool>(
            self, id,
            [=](wh_t wh) { return wh.decide_commit(id, now_ms(self)); },
            [](wh_t) { return true; });
      },
      [=](commit_atom, const std::string& id, journal_batch& with) {
        return run<bool>(
            self, id,
            [=](wh_t wh) { return wh.decide_commit(id, now_ms(self)); },
            [](wh_t) { return true; }, std::move(with));
      },
      [=](release_atom, const std::string& id, int64_t attempt) {
        return run<bool>(
            self, id, [=](wh_t wh) { return wh.decide_release(id, attempt); },
            [](wh_t) { return true; });
      },
      [=](restock_atom, const std::string& id) {
        return run<bool>(
            self, id, [=](wh_t wh) { return wh.decide_restock(id); },
            [](wh_t) { return true; });
      },
      [=](expire_atom) { expire_due(self); },
  };
}

} // namespace

warehouse_actor spawn_warehouse(caf::actor_system& sys, warehouse_init init) {
  return sys.spawn(warehouse, std::move(init));
}

} // namespace berry
