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
// alone when the change is a repeat. That path is walked in
// actors/warehouse_settle.cpp; this file has the behaviour and the expiry
// timer.

#include "actors/warehouse.hpp"

#include <algorithm>
#include <utility>

#include <caf/all.hpp>

#include "actors/warehouse_impl.hpp"
#include "config/logging.hpp"

namespace berry {

namespace warehouse_impl {

int64_t now_ms(warehouse_self self) {
  return (*self->state.wall)(self->clock().now());
}

void arm(warehouse_self self, std::chrono::milliseconds at_least) {
  auto& st = self->state;
  auto next = st.wh.next_expiry();
  if (!next || (st.timer_at && *st.timer_at <= *next))
    return;
  auto now = now_ms(self);
  auto delay = std::max(std::chrono::milliseconds(*next - now), at_least);
  st.timer_at = now + delay.count();
  self->delayed_send(self, delay, expire_atom_v);
}

} // namespace warehouse_impl

namespace {

using namespace warehouse_impl;

/// After a failed expiry, the next try waits at least this long.
constexpr auto expiry_retry = std::chrono::milliseconds(1000);

/// Holds the lines of `r`, storing `with` in the same batch.
caf::result<reservation> reserve(warehouse_self self, const reserve_request& r,
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
void expire_due(warehouse_self self) {
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

warehouse_actor::behavior_type warehouse(warehouse_self self,
                                         warehouse_init init) {
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
