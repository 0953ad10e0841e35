#include "actors/order.hpp"

#include <algorithm>

#include "actors/order_impl.hpp"
#include "actors/order_state.hpp"
#include "protocols/errors.hpp"
#include "storage/order_repo.hpp"

namespace berry::order_impl {

// The checkout saga of one order. Each step is journaled before it acts, so
// a fresh actor given the stored order goes on from where it stopped.
//
//   pending ──plan──> (lines get warehouses, journaled)
//      │                    │
//      │               reserve at each warehouse ──refused──> release all,
//      │                    │ all held                         plan again (or
//      │                    v                                  out-of-stock)
//      │               reserved ──charge (key "<id>:charge")──┐
//      │                    │ captured              declined/  │
//      │                    v                       error      │
//      │               commit at each warehouse                │
//      │                    │                                  │
//      │                    v                                  v
//      │                  paid ──> packed ──> ... ──> delivered (logistics)
//      │                    │                            │ return
//      v                    v cancel (before picked_up:  v
//                             the dispatcher withdraws it first)
//   compensate: journal the reason, refund (if a charge may exist),
//               restock + release at each warehouse, journal cancelled or
//               returned, answer everyone waiting.
//
// Cancel and return requests are recorded at once and acted on when the
// step in flight has ended, so a step is never interrupted half-way.
//
// Once paid, the order follows its delivery: actors/order_delivery.cpp.

namespace {

std::vector<db_statement> status_batch(const order_record& rec) {
  auto out = storage::update_order(rec);
  out.push_back(storage::append_order_event(rec.id, rec.history.back()));
  return out;
}

/// Answers everyone waiting for the end of checkout.
void notify_waiters(self_ptr self) {
  auto& st = self->state;
  if (!checkout_over(st.rec))
    return;
  for (auto& rp : st.waiters)
    rp.deliver(st.rec);
  st.waiters.clear();
}

} // namespace

void publish_status(self_ptr self, size_t index) {
  auto& st = self->state;
  if (!st.deps.tracking || index >= st.rec.history.size())
    return;
  auto& h = st.rec.history[index];
  self->send(st.deps.tracking, track_atom_v,
             tracking_event{st.rec.id,
                            "status",
                            h.status,
                            h.at_ms,
                            static_cast<int64_t>(index + 1),
                            {},
                            -1});
}

namespace {

/// Moves to `status`, journals it, answers waiters, then goes on.
void reach(self_ptr self, const std::string& status, phase next) {
  auto& st = self->state;
  set_status(st.rec, status, now_ms(self));
  journal(self, status_batch(st.rec), [=] {
    self->state.ph = next;
    publish_status(self, self->state.rec.history.size() - 1);
    notify_waiters(self);
    advance(self);
  });
}

/// A request to every warehouse of the order; `done(failures)` once all
/// answered, with the berry error codes of those that refused.
template <class MakeRequest>
void each_warehouse(self_ptr self, MakeRequest make,
                    std::function<void(std::vector<caf::error>)> done) {
  auto groups = lines_by_warehouse(self->state.rec.lines);
  if (groups.empty()) {
    done({});
    return;
  }
  struct tally {
    size_t left;
    std::vector<caf::error> errors;
  };
  auto t = std::make_shared<tally>(tally{groups.size(), {}});
  self->state.busy = true;
  for (auto& [wid, lines] : groups) {
    auto i = self->state.deps.warehouses.find(wid);
    auto finish = [=](caf::error err) {
      if (err)
        t->errors.push_back(std::move(err));
      if (--t->left == 0) {
        self->state.busy = false;
        done(std::move(t->errors));
      }
    };
    if (i == self->state.deps.warehouses.end()) {
      finish(
          caf::make_error(berry_errc::unavailable, "unknown warehouse " + wid));
      continue;
    }
    make(i->second, lines, finish);
  }
}

bool only_code(const std::vector<caf::error>& errs, berry_errc code) {
  return std::all_of(errs.begin(), errs.end(),
                     [code](const caf::error& e) { return is_error(e, code); });
}

// -- steps ------------------------------------------------------------------

void do_plan(self_ptr self) {
  auto& st = self->state;
  // Ask every warehouse what it holds of each product.
  struct tally {
    size_t left;
    stock_map avail;
  };
  std::vector<std::string> products;
  for (auto& l : st.rec.lines)
    products.push_back(l.product_id);
  auto t = std::make_shared<tally>(
      tally{products.size() * st.deps.warehouses.size(), {}});
  if (t->left == 0) {
    st.compensation = "out-of-stock";
    advance(self);
    return;
  }
  st.busy = true;
  auto on_all = [=] {
    self->state.busy = false;
    auto& st = self->state;
    auto plan = plan_warehouses(st.rec.lines, st.deps.warehouse_infos, t->avail,
                                st.rec.address.location);
    if (!plan) {
      if (st.compensation.empty())
        st.compensation = "out-of-stock";
      advance(self);
      return;
    }
    st.rec.lines = std::move(*plan);
    journal(self, storage::update_order(st.rec), [=] {
      self->state.ph = phase::reserve;
      advance(self);
    });
  };
  for (auto& [wid, wh] : st.deps.warehouses)
    for (auto& pid : products)
      self->request(wh, st.deps.step_timeout, stock_atom_v, caf::get_atom_v,
                    pid)
          .then(
              [=](const stock_level& level) {
                t->avail[level.warehouse_id][level.product_id] =
                    level.available();
                if (--t->left == 0)
                  on_all();
              },
              [=](caf::error&) {
                if (--t->left == 0)
                  on_all();
              });
}

void do_reserve(self_ptr self) {
  auto id = self->state.rec.id;
  auto timeout = self->state.deps.step_timeout;
  each_warehouse(
      self,
      [=](const warehouse_actor& wh, const std::vector<order_line>& lines,
          auto finish) {
        self->request(wh, timeout, reserve_atom_v, reserve_request{id, lines})
            .then([=](const reservation&) { finish({}); },
                  [=](caf::error& err) { finish(std::move(err)); });
      },
      [=](std::vector<caf::error> errors) {
        auto& st = self->state;
        if (errors.empty()) {
          reach(self, "reserved", phase::pay);
          return;
        }
        // Something was refused: give back whatever was taken, then plan
        // again (another warehouse may have it) or give up.
        bool sold_out = only_code(errors, berry_errc::out_of_stock);
        each_warehouse(
            self,
            [=](const warehouse_actor& wh, const std::vector<order_line>&,
                auto finish) {
              self->request(wh, timeout, release_atom_v, id)
                  .then([=](bool) { finish({}); },
                        [=](caf::error& err) { finish(std::move(err)); });
            },
            [=](std::vector<caf::error>) {
              auto& st = self->state;
              if (++st.plan_attempts < st.deps.max_plan_attempts) {
                for (auto& l : st.rec.lines)
                  l.warehouse_id.clear();
                st.ph = phase::plan;
              } else if (st.compensation.empty()) {
                st.compensation =
                    sold_out ? "out-of-stock" : "warehouse-unavailable";
              }
              advance(self);
            });
        (void)st;
      });
}

payment_request charge_request(const order_record& rec) {
  return {rec.id + ":charge", rec.id, rec.total, rec.payment_token};
}

void do_pay(self_ptr self) {
  auto& st = self->state;
  st.busy = true;
  self->request(st.deps.payments, st.deps.payment_timeout, charge_atom_v,
                charge_request(st.rec))
      .then(
          [=](const payment_result& r) {
            auto& st = self->state;
            st.busy = false;
            st.rec.payment_id = r.payment_id;
            st.ph = phase::commit;
            advance(self);
          },
          [=](caf::error& err) {
            auto& st = self->state;
            st.busy = false;
            bool declined = is_error(err, berry_errc::payment_declined);
            if (st.compensation.empty())
              st.compensation = declined ? "payment-declined" : "payment-error";
            advance(self);
          });
}

void do_commit(self_ptr self) {
  auto id = self->state.rec.id;
  auto timeout = self->state.deps.step_timeout;
  each_warehouse(
      self,
      [=](const warehouse_actor& wh, const std::vector<order_line>&,
          auto finish) {
        self->request(wh, timeout, commit_atom_v, id)
            .then([=](bool) { finish({}); },
                  [=](caf::error& err) { finish(std::move(err)); });
      },
      [=](std::vector<caf::error> errors) {
        auto& st = self->state;
        if (errors.empty()) {
          reach(self, "paid", phase::settled);
          if (st.rec.from_cart)
            caf::anon_send(st.deps.carts, caf::delete_atom_v, st.rec.user_id);
          return;
        }
        // A reservation expired under a captured payment: give it all back.
        if (st.compensation.empty())
          st.compensation = "reservation-expired";
        advance(self);
      });
}

/// Refund (when a charge may exist), then restock and release everywhere,
/// then the final status. Every part is idempotent, so a restart repeats
/// it safely; a part that fails is tried again after a pause.
void do_compensate(self_ptr self) {
  auto& st = self->state;
  bool charged = st.rec.status != "pending";
  auto id = st.rec.id;
  auto timeout = st.deps.step_timeout;
  auto retry_later = [=] {
    self->state.busy = true;
    self->delayed_send(self, std::chrono::seconds(1), step_atom_v);
  };
  auto give_back = [=] {
    each_warehouse(
        self,
        [=](const warehouse_actor& wh, const std::vector<order_line>&,
            auto finish) {
          // Restock undoes a commit, release undoes a reservation; each says
          // so when there was nothing to undo.
          self->request(wh, timeout, restock_atom_v, id)
              .then([=](bool) { finish({}); },
                    [=](caf::error& err) {
                      bool nothing = is_error(err, berry_errc::conflict);
                      self->request(wh, timeout, release_atom_v, id)
                          .then(
                              [=](bool) {
                                finish(nothing ? caf::error{} : std::move(err));
                              },
                              [=](caf::error& e2) { finish(std::move(e2)); });
                    });
        },
        [=](std::vector<caf::error> errors) {
          if (!errors.empty()) {
            retry_later();
            return;
          }
          auto& st = self->state;
          bool returning = st.compensation == "return";
          if (!returning)
            st.rec.cancel_reason = st.compensation;
          reach(self, returning ? "returned" : "cancelled", phase::done);
        });
  };
  auto refund_then_give_back = [=] {
    if (!charged) {
      give_back();
      return;
    }
    auto& st = self->state;
    st.busy = true;
    payment_request req{id + ":refund", id, st.rec.total, st.rec.payment_token};
    self->request(st.deps.payments, st.deps.payment_timeout, refund_atom_v, req)
        .then(
            [=](const payment_result&) {
              self->state.busy = false;
              give_back();
            },
            [=](caf::error& err) {
              self->state.busy = false;
              // conflict: there was no capture to refund.
              if (is_error(err, berry_errc::conflict))
                give_back();
              else
                retry_later();
            });
  };
  // The intent first, so that a restart finishes what was begun.
  if (st.rec.cancel_reason != st.compensation) {
    st.rec.cancel_reason = st.compensation;
    journal(self, storage::update_order(st.rec), refund_then_give_back);
  } else {
    refund_then_give_back();
  }
}

void finish(self_ptr self) {
  auto& st = self->state;
  notify_waiters(self);
  for (auto& rp : st.cancel_waiters)
    rp.deliver(st.rec);
  st.cancel_waiters.clear();
  self->quit();
}

} // namespace

void advance(self_ptr self) {
  auto& st = self->state;
  if (st.busy)
    return;
  if (!st.compensation.empty() && st.ph != phase::compensate &&
      st.ph != phase::done)
    st.ph = phase::compensate;
  switch (st.ph) {
  case phase::plan:
    do_plan(self);
    break;
  case phase::reserve:
    do_reserve(self);
    break;
  case phase::pay:
    do_pay(self);
    break;
  case phase::commit:
    do_commit(self);
    break;
  case phase::settled:
    follow_delivery(self);
    break;
  case phase::compensate:
    do_compensate(self);
    break;
  case phase::done:
    finish(self);
    break;
  }
}

namespace {

/// Where a fresh actor goes on from, given the stored order.
phase resume_phase(const order_record& rec, std::string& compensation) {
  if (storage::is_final_status(rec.status) && rec.cancel_reason.empty())
    return phase::done;
  if (rec.status == "cancelled" || rec.status == "returned")
    return phase::done;
  if (!rec.cancel_reason.empty()) {
    compensation = rec.cancel_reason;
    return phase::compensate;
  }
  if (rec.status == "pending") {
    bool planned = !rec.lines.empty() &&
                   std::all_of(rec.lines.begin(), rec.lines.end(),
                               [](auto& l) { return !l.warehouse_id.empty(); });
    return planned ? phase::reserve : phase::plan;
  }
  if (rec.status == "reserved")
    return phase::pay;
  return phase::settled;
}

order_actor::behavior_type order(self_ptr self, order_record rec,
                                 order_deps deps) {
  auto& st = self->state;
  st.clock = std::make_unique<wall_clock>(self->clock().now());
  st.rec = std::move(rec);
  st.deps = std::move(deps);
  st.ph = resume_phase(st.rec, st.compensation);
  self->send(self, step_atom_v);
  return {
      [=](caf::get_atom) { return self->state.rec; },
      [=](wait_atom) -> caf::result<order_record> {
        auto& st = self->state;
        if (checkout_over(st.rec))
          return st.rec;
        auto rp = self->make_response_promise<order_record>();
        st.waiters.push_back(rp);
        return rp;
      },
      [=](cancel_atom) -> caf::result<order_record> {
        auto& st = self->state;
        if (st.rec.status == "cancelled")
          return st.rec;
        if (!cancellable(st.rec) || st.compensation == "return")
          return caf::make_error(berry_errc::conflict,
                                 "the order can no longer be cancelled");
        auto rp = self->make_response_promise<order_record>();
        st.cancel_waiters.push_back(rp);
        if (!st.compensation.empty())
          return rp;
        if (st.ph == phase::settled && st.deps.dispatcher) {
          // The delivery is with the dispatcher: withdraw it first.
          st.cancel_requested = true;
          follow_delivery(self);
        } else {
          st.compensation = "customer";
          advance(self);
        }
        return rp;
      },
      [=](return_atom) -> caf::result<order_record> {
        auto& st = self->state;
        if (st.rec.status == "returned")
          return st.rec;
        if (st.rec.status != "delivered")
          return caf::make_error(berry_errc::conflict,
                                 "only a delivered order can be returned");
        auto rp = self->make_response_promise<order_record>();
        st.cancel_waiters.push_back(rp);
        if (st.compensation.empty()) {
          st.compensation = "return";
          // Started again from storage just for this (or about to end).
          if (st.ph == phase::done)
            st.ph = phase::compensate;
          advance(self);
        }
        return rp;
      },
      [=](dispatch_atom) {
        auto& st = self->state;
        if (st.ph != phase::settled || !st.dispatched)
          return;
        st.dispatched = false;
        follow_delivery(self);
      },
      [=](delivery_atom, delivery_event& ev) {
        auto& st = self->state;
        if (st.ph != phase::settled)
          return;
        st.events.push_back(std::move(ev));
        follow_delivery(self);
      },
      [=](step_atom) {
        self->state.busy = false;
        advance(self);
      },
  };
}

} // namespace

} // namespace berry::order_impl

namespace berry {

order_actor spawn_order(caf::actor_system& sys, order_record order,
                        order_deps deps) {
  return sys.spawn(order_impl::order, std::move(order), std::move(deps));
}

} // namespace berry
