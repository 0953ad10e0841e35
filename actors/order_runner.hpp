#pragma once

// Inside the order actor: what it keeps, and the one way in for everything
// it is told (feed). actors/order.cpp has the behaviour, actors/
// order_runner.cpp runs the effects of the saga. Included by those two only.

#include <memory>
#include <vector>

#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>
#include <caf/typed_response_promise.hpp>

#include "actors/clock.hpp"
#include "actors/deadline_set.hpp"
#include "actors/order.hpp"
#include "actors/order_saga.hpp"

namespace berry::order_impl {

using order_promise = caf::typed_response_promise<order_record>;

/// What one order actor keeps.
struct order_actor_state {
  order_saga saga;
  order_deps deps;
  /// Waiting for the end of checkout; waiting on a cancel or return.
  std::vector<order_promise> waiters;
  std::vector<order_promise> cancellers;
  std::unique_ptr<wall_clock> clock;
  /// The deadlines of its requests to warehouses and the payment actor,
  /// under one timer (actors/deadline_set.hpp).
  deadline_set deadlines;
  /// The stored plan, when it rides with the next step: sent with the
  /// reservation when one warehouse holds the order (the warehouse stores
  /// both in one batch), else on its own before the next effects.
  journal_batch ride;
  /// A store just sent rides with the next step (see order_saga::
  /// store_rides_with_next): feed goes on as if it were done.
  bool go_on = false;
  /// The catalog was asked for a plan's stock once already: every plan
  /// after it asks the warehouses.
  bool asked_catalog = false;
  static inline const char* name = "order";
};

/// The order actor plus its deadline timer.
using order_impl_actor = order_actor::extend<caf::reacts_to<expire_atom>>;

using self_ptr = order_impl_actor::stateful_pointer<order_actor_state>;

/// Hands one event to the saga and runs the effects it decides; `asker` is
/// the cancel or return being asked now, if any.
void feed(self_ptr self, const order_event& ev, order_promise* asker = nullptr);

} // namespace berry::order_impl
