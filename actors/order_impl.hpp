#pragma once

// Inside the order actor: its state and the helpers its two halves share.
// actors/order.cpp runs the checkout saga and the behaviour;
// actors/order_delivery.cpp follows a paid order's delivery. Included by
// those two files only.

#include <deque>
#include <memory>
#include <string>
#include <vector>

#include <caf/all.hpp>

#include "actors/clock.hpp"
#include "actors/order.hpp"
#include "config/logging.hpp"

namespace berry::order_impl {

/// Where the order is in its life (the diagram in order.cpp).
enum class phase { plan, reserve, pay, commit, settled, compensate, done };

/// What one order actor keeps.
struct order_actor_state {
  order_record rec;
  order_deps deps;
  phase ph = phase::plan;
  bool busy = false;
  int plan_attempts = 0;
  /// Why the order is being compensated: a cancel reason, or "return".
  std::string compensation;
  std::vector<caf::typed_response_promise<order_record>> waiters;
  std::vector<caf::typed_response_promise<order_record>> cancel_waiters;
  /// Logistics: the delivery is with the dispatcher; its events wait here
  /// while a step is in flight.
  bool dispatched = false;
  std::deque<delivery_event> events;
  /// A customer cancel waiting for the dispatcher to withdraw the delivery.
  bool cancel_requested = false;
  std::unique_ptr<wall_clock> clock;
  static inline const char* name = "order";
};

/// The order actor as its functions see it.
using self_ptr = order_actor::stateful_pointer<order_actor_state>;

/// Now, on the order's wall clock (Unix ms).
inline int64_t now_ms(self_ptr self) {
  return (*self->state.clock)(self->clock().now());
}

/// Runs `batch` through the journal, then `next`. A journal that refuses
/// leaves the order as it was stored: the actor stops with the error and
/// its supervisor starts it again from storage.
template <class Next>
void journal(self_ptr self, std::vector<db_statement> statements, Next next) {
  self->state.busy = true;
  self->request(self->state.deps.journal, self->state.deps.step_timeout,
                write_atom_v, db_batch{std::move(statements)})
      .then(
          [=](uint64_t) mutable {
            self->state.busy = false;
            next();
          },
          [=](caf::error& err) {
            log::error("order journal write failed",
                       {{"order", self->state.rec.id},
                        {"error", self->system().render(err)}});
            self->quit(err);
          });
}

/// Takes the next step of the phase the order is in (order.cpp).
void advance(self_ptr self);

/// Publishes history entry `index` (a status the order reached) for live
/// tracking; seq counts from 1 (order.cpp).
void publish_status(self_ptr self, size_t index);

/// The paid order's part: hand the delivery over, then follow its events
/// (order_delivery.cpp).
void follow_delivery(self_ptr self);

} // namespace berry::order_impl
