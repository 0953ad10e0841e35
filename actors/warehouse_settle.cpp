// How the warehouse actor settles a decided change: it recalls the order's
// hold from storage, decides, applies, reports, journals, and then forgets
// a settled hold or undoes the change. The diagram is in warehouse.cpp.

#include "actors/warehouse_impl.hpp"

#include <utility>

#include <caf/all.hpp>

#include "config/logging.hpp"
#include "storage/database.hpp"

namespace berry::warehouse_impl {

namespace {

/// Brings the stored hold of `order_id` into memory if it is not there.
caf::error recall(warehouse_self self, const std::string& order_id) {
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
void tidy(warehouse_self self, const std::string& order_id) {
  auto& st = self->state;
  if (st.inflight.count(order_id) == 0)
    st.wh.forget(order_id);
}

/// One journal write of `order_id` came back (and was undone if it failed).
void finished(warehouse_self self, const std::string& order_id) {
  auto& st = self->state;
  if (--st.inflight[order_id] <= 0)
    st.inflight.erase(order_id);
  tidy(self, order_id);
}

/// Stores `extra` alone (a change already stored, or none), then `done`.
template <class T>
void store_extra(warehouse_self self, journal_batch extra, T value,
                 done_fn<T> done) {
  if (extra.commands.empty())
    return done(std::move(value));
  self->request(self->state.journal, caf::infinite, write_atom_v,
                std::move(extra))
      .then([=](uint64_t) { done(value); },
            [=](caf::error& err) { done(std::move(err)); });
}

} // namespace

template <class T>
void settle(warehouse_self self, const std::string& order_id, decide_fn decide,
            answer_fn<T> answer, done_fn<T> done, journal_batch extra) {
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

template <class T>
caf::result<T> run(warehouse_self self, const std::string& order_id,
                   decide_fn decide, answer_fn<T> answer, journal_batch extra) {
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

// The answers the behaviour settles for.
template void settle<bool>(warehouse_self, const std::string&, decide_fn,
                           answer_fn<bool>, done_fn<bool>, journal_batch);
template caf::result<stock_level>
run<stock_level>(warehouse_self, const std::string&, decide_fn,
                 answer_fn<stock_level>, journal_batch);
template caf::result<reservation>
run<reservation>(warehouse_self, const std::string&, decide_fn,
                 answer_fn<reservation>, journal_batch);
template caf::result<bool> run<bool>(warehouse_self, const std::string&,
                                     decide_fn, answer_fn<bool>, journal_batch);

} // namespace berry::warehouse_impl
