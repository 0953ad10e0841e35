// Runs the effects the order's saga decides: requests to the warehouses,
// the payment actor, the journal and the dispatcher, whose answers come back
// to the saga as events; publications for live tracking; answers to those
// waiting; timers.

#include "actors/order_runner.hpp"

#include <algorithm>
#include <utility>

#include <caf/all.hpp>

#include "actors/order_state.hpp"
#include "config/logging.hpp"

namespace berry::order_impl {

namespace {

/// The one place a change of the order becomes journal commands.
journal_batch commands_for(const order_record& rec,
                           const order_change& change) {
  switch (change.what) {
  case order_change::kind::planned:
    return {{order_lines_planned{rec.id, rec.lines, rec.attempt}}};
  case order_change::kind::reason_recorded:
    return compensation_commands(rec, rec.cancel_reason);
  case order_change::kind::statuses_reached:
    break;
  }
  journal_batch out;
  for (auto i = change.first_entry; i < rec.history.size(); ++i)
    out.commands.emplace_back(status_command(rec, i));
  return out;
}

/// A berry error's code and its readable reason; anything else (a timeout,
/// a dead actor) is `unavailable`.
order_events::dispatcher_answered answer_of(const caf::error& err) {
  if (err.category() != caf::atom("berry"))
    return {berry_errc::unavailable, {}};
  auto& ctx = err.context();
  std::string detail;
  if (ctx.size() == 1 && ctx.match_element<std::string>(0))
    detail = ctx.get_as<std::string>(0);
  return {static_cast<berry_errc>(err.code()), std::move(detail)};
}

berry_errc code_of(const caf::error& err) {
  return answer_of(err).error;
}

caf::error error_of(berry_errc code, const std::string& detail) {
  return detail.empty() ? caf::make_error(code) : caf::make_error(code, detail);
}

/// Asks warehouse `wid`; its answer (`Ok` when it agrees) comes back as
/// warehouse_answered. The deadline is the order's (one timer for all its
/// steps), not the request's.
template <class Ok, class... Ts>
void ask_warehouse(self_ptr self, const std::string& wid, Ts... xs) {
  auto& st = self->state;
  request_until<Ok>(
      self, st.deadlines, st.deps.step_timeout, st.deps.warehouses.at(wid),
      [=](const Ok&) { feed(self, order_events::warehouse_answered{wid}); },
      [=](caf::error& err) {
        feed(self, order_events::warehouse_answered{wid, code_of(err)});
      },
      xs...);
}

template <class Atom>
void ask_payment(self_ptr self, Atom atom, const payment_request& req) {
  auto& st = self->state;
  request_until<payment_result>(
      self, st.deadlines, st.deps.payment_timeout, st.deps.payments,
      [=](const payment_result& r) {
        feed(self,
             order_events::payment_answered{berry_errc::none, r.payment_id});
      },
      [=](caf::error& err) {
        feed(self, order_events::payment_answered{code_of(err), {}});
      },
      atom, req);
}

/// Asks the dispatcher; `refusal` (if any) is logged when it says no.
template <class... Ts>
void ask_dispatcher(self_ptr self, const char* refusal, Ts... xs) {
  auto& st = self->state;
  self->request(st.deps.dispatcher, st.deps.step_timeout, xs...)
      .then([=](bool) { feed(self, order_events::dispatcher_answered{}); },
            [=](caf::error& err) {
              if (refusal != nullptr)
                log::warn(refusal, {{"order", self->state.saga.rec.id},
                                    {"error", self->system().render(err)}});
              feed(self, answer_of(err));
            });
}

/// Sends `batch` to the journal; `then` runs once it is stored. A journal
/// that refuses leaves the order as it was stored: the actor stops with the
/// error and its supervisor starts it again from storage. No timeout: the
/// journal answers every write, also when it stops, and a timer per write
/// cost more than the write's SQL.
template <class Then>
void write(self_ptr self, journal_batch batch, Then then) {
  batch.fence = self->state.deps.fence;
  self->request(self->state.deps.journal, caf::infinite, write_atom_v,
                std::move(batch))
      .then([=](uint64_t) { then(); },
            [=](caf::error& err) {
              log::error("order journal write failed",
                         {{"order", self->state.saga.rec.id},
                          {"error", self->system().render(err)}});
              self->quit(err);
            });
}

/// The plan that waited to ride with a reservation, on its own: it still
/// goes to the journal before anything the effects to come ask for.
void flush_ride(self_ptr self) {
  auto& st = self->state;
  if (st.ride.commands.empty())
    return;
  write(self, std::exchange(st.ride, {}), [] {});
}

/// Stores a change of the order. A store that rides with the next step
/// does not wait for its commit (the next step's own write queues behind
/// it); a plan that rides waits in `ride` for the reservation.
void store(self_ptr self, const order_change& change) {
  auto& st = self->state;
  bool rides = st.saga.store_rides_with_next();
  st.go_on = st.go_on || rides;
  auto batch = commands_for(st.saga.rec, change);
  if (rides && change.what == order_change::kind::planned) {
    st.ride = std::move(batch);
    return;
  }
  flush_ride(self);
  write(self, std::move(batch), [=] {
    if (!rides)
      feed(self, order_events::journal_done{});
  });
}

void track(self_ptr self, tracking_event ev) {
  if (self->state.deps.tracking)
    self->send(self->state.deps.tracking, track_atom_v, std::move(ev));
}

void deliver_all(std::vector<order_promise>& xs, const order_record& rec) {
  for (auto& rp : xs)
    rp.deliver(rec);
  xs.clear();
}

/// Runs one effect of the saga.
struct runner {
  self_ptr self;
  order_promise* asker;

  order_actor_state& st() const { return self->state; }
  const order_record& rec() const { return self->state.saga.rec; }

  void operator()(const order_effects::ask_stock& x) const {
    auto& d = st().deps;
    auto wid = x.warehouse_id;
    auto pid = x.product_id;
    // (the callbacks outlive this runner: they capture the actor, not it)
    auto me = self;
    // No timeout: the warehouse answers at once, and a warehouse that
    // dies first bounces the question (request_receiver_down).
    me->request(d.warehouses.at(wid), caf::infinite, stock_atom_v,
                caf::get_atom_v, pid)
        .then(
            [me](const stock_level& level) {
              feed(me, order_events::stock_answered{level.warehouse_id,
                                                    level.product_id,
                                                    level.available(), true});
            },
            [me, wid, pid](caf::error&) {
              feed(me, order_events::stock_answered{wid, pid, 0, false});
            });
  }
  void operator()(const order_effects::reserve& x) const {
    reserve_request req{rec().id, x.lines, x.attempt};
    if (st().ride.commands.empty()) {
      ask_warehouse<reservation>(self, x.warehouse_id, reserve_atom_v, req);
      return;
    }
    // The plan rides in the warehouse's batch: stored with the hold or not
    // at all. Refused, it goes to the journal before the next effects.
    auto with = std::exchange(st().ride, {});
    auto me = self;
    auto wid = x.warehouse_id;
    request_until<reservation>(
        me, st().deadlines, st().deps.step_timeout,
        st().deps.warehouses.at(wid),
        [me, wid](const reservation&) {
          feed(me, order_events::warehouse_answered{wid});
        },
        [me, wid, with](caf::error& err) {
          if (me->state.ride.commands.empty())
            me->state.ride = with;
          feed(me, order_events::warehouse_answered{wid, code_of(err)});
        },
        reserve_atom_v, req, with);
  }
  void operator()(const order_effects::release& x) const {
    ask_warehouse<bool>(self, x.warehouse_id, release_atom_v, rec().id,
                        x.attempt);
  }
  void operator()(const order_effects::commit& x) const {
    if (x.paid_at_ms < 0) {
      ask_warehouse<bool>(self, x.warehouse_id, commit_atom_v, rec().id);
      return;
    }
    // The paid status the saga takes once the sale is stored, stored with it.
    auto paid = rec();
    set_status(paid, order_status::paid, x.paid_at_ms);
    ask_warehouse<bool>(
        self, x.warehouse_id, commit_atom_v, rec().id,
        commands_for(paid, {order_change::kind::statuses_reached,
                            paid.history.size() - 1}));
  }
  void operator()(const order_effects::restock& x) const {
    ask_warehouse<bool>(self, x.warehouse_id, restock_atom_v, rec().id);
  }
  void operator()(const order_effects::charge& x) const {
    ask_payment(self, charge_atom_v, x.req);
  }
  void operator()(const order_effects::refund& x) const {
    ask_payment(self, refund_atom_v, x.req);
  }
  void operator()(const order_effects::journal& x) const {
    store(self, x.change);
  }
  void operator()(const order_effects::publish_status& x) const {
    auto& h = rec().history.at(x.index);
    track(self, {rec().id,
                 tracking_type::status,
                 h.status,
                 h.at_ms,
                 static_cast<int64_t>(x.index + 1),
                 {},
                 -1});
  }
  void operator()(const order_effects::publish_courier& x) const {
    track(self, {rec().id, tracking_type::courier, order_status::none, x.at_ms,
                 static_cast<int64_t>(rec().history.size()),
                 rec().courier_location, rec().eta_s});
  }
  void operator()(const order_effects::dispatch& x) const {
    ask_dispatcher(self, "dispatcher did not take the delivery; trying again",
                   dispatch_atom_v, x.task);
  }
  void operator()(const order_effects::withdraw&) const {
    ask_dispatcher(self, nullptr, cancel_atom_v, rec().id);
  }
  void operator()(const order_effects::empty_cart&) const {
    caf::anon_send(st().deps.carts, caf::delete_atom_v, rec().user_id);
  }
  void operator()(const order_effects::answer_waiters&) const {
    deliver_all(st().waiters, rec());
  }
  void operator()(const order_effects::answer_cancellers&) const {
    deliver_all(st().cancellers, rec());
  }
  void operator()(const order_effects::refuse_cancellers& x) const {
    for (auto& rp : st().cancellers)
      rp.deliver(error_of(x.error, x.detail));
    st().cancellers.clear();
  }
  void operator()(const order_effects::answer_asker& x) const {
    if (x.error == berry_errc::none)
      asker->deliver(rec());
    else
      asker->deliver(error_of(x.error, x.detail));
  }
  void operator()(const order_effects::keep_asker&) const {
    st().cancellers.push_back(*asker);
  }
  void operator()(const order_effects::retry_in& x) const {
    self->delayed_send(self, x.after, step_atom_v);
  }
  void operator()(const order_effects::redispatch_in& x) const {
    self->delayed_send(self, x.after, dispatch_atom_v);
  }
  void operator()(const order_effects::stop&) const { self->quit(); }
};

/// The stock the saga asks of the warehouses, answered from what they
/// reported to the catalog, when that plans the order: the first plan only.
/// A plan the reports cannot make (they lag behind a sale or a restock),
/// or a catalog that cannot answer, asks the warehouses after all; a
/// warehouse that refuses a plan made from a stale report makes the saga
/// plan again, from the warehouses' own answers.
bool ask_catalog(self_ptr self, const order_effect_list& effects) {
  auto& st = self->state;
  if (!st.deps.catalog || st.asked_catalog || st.saga.rec.attempt != 0 ||
      effects.empty() ||
      !std::all_of(effects.begin(), effects.end(), [](auto& x) {
        return std::holds_alternative<order_effects::ask_stock>(x);
      }))
    return false;
  st.asked_catalog = true;
  std::vector<std::string> ids;
  for (auto& x : effects) {
    auto& pid = std::get<order_effects::ask_stock>(x).product_id;
    if (std::find(ids.begin(), ids.end(), pid) == ids.end())
      ids.push_back(pid);
  }
  auto ask_warehouses = [self, effects] {
    for (auto& x : effects)
      std::visit(runner{self, nullptr}, x);
  };
  // No timeout: the catalog answers at once, or its death bounces this.
  self->request(st.deps.catalog, caf::infinite, avail_atom_v, caf::get_atom_v,
                std::move(ids))
      .then(
          [self, effects, ask_warehouses](std::vector<stock_level>& levels) {
            auto& rec = self->state.saga.rec;
            stock_map reported;
            for (auto& l : levels)
              reported[l.warehouse_id][l.product_id] = l.available();
            if (!plan_warehouses(rec.lines, self->state.deps.warehouse_infos,
                                 reported, rec.address.location)) {
              ask_warehouses();
              return;
            }
            for (auto& x : effects) {
              auto& a = std::get<order_effects::ask_stock>(x);
              feed(self,
                   order_events::stock_answered{
                       a.warehouse_id, a.product_id,
                       available_units(reported, a.warehouse_id, a.product_id),
                       true});
            }
          },
          [ask_warehouses](caf::error&) { ask_warehouses(); });
  return true;
}

void run(self_ptr self, const order_effect_list& effects,
         order_promise* asker) {
  if (ask_catalog(self, effects))
    return;
  // A plan that waits rides only with the reservation of a lone warehouse.
  auto reserves = std::count_if(effects.begin(), effects.end(), [](auto& x) {
    return std::holds_alternative<order_effects::reserve>(x);
  });
  if (reserves != 1)
    flush_ride(self);
  for (auto& x : effects)
    std::visit(runner{self, asker}, x);
}
} // namespace

void feed(self_ptr self, const order_event& ev, order_promise* asker) {
  auto& st = self->state;
  auto now = (*st.clock)(self->clock().now());
  run(self, st.saga.handle(ev, now), asker);
  while (std::exchange(st.go_on, false))
    run(self, st.saga.handle(order_events::journal_done{}, now), nullptr);
}
} // namespace berry::order_impl
