#pragma once

// What goes in and out of the order's saga (actors/order_saga.hpp): the
// events it is told, the effects it asks for, and the changes of the order
// it asks to store. Plain values; no actors.

#include <chrono>
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "protocols/commerce.hpp"
#include "protocols/errors.hpp"

namespace berry {

/// What the saga is told, one event at a time.
namespace order_events {
/// The first message of a fresh actor, or a retry timer that came due.
struct step {};
/// A warehouse said how many units of a product it can hand out (or failed:
/// `ok` false).
struct stock_answered {
  std::string warehouse_id;
  std::string product_id;
  int64_t available = 0;
  bool ok = true;
};
/// A warehouse answered a reserve, release, commit or restock.
struct warehouse_answered {
  std::string warehouse_id;
  berry_errc error = berry_errc::none;
};
/// The payment actor answered a charge or a refund.
struct payment_answered {
  berry_errc error = berry_errc::none;
  std::string payment_id;
};
/// The journal stored what the saga asked it to.
struct journal_done {};
/// The dispatcher answered a dispatch or a withdrawal.
struct dispatcher_answered {
  berry_errc error = berry_errc::none;
  std::string detail;
};
/// The redispatch timer came due.
struct redispatch_due {};
/// A customer asks to cancel.
struct cancel_asked {};
/// A customer asks to return a delivered order.
struct return_asked {};
/// The dispatcher says the delivery moved on.
struct delivery_moved {
  delivery_event ev;
};
} // namespace order_events

/// One event for the saga.
using order_event =
    std::variant<order_events::step, order_events::stock_answered,
                 order_events::warehouse_answered,
                 order_events::payment_answered, order_events::journal_done,
                 order_events::dispatcher_answered,
                 order_events::redispatch_due, order_events::cancel_asked,
                 order_events::return_asked, order_events::delivery_moved>;

/// A change of the order to store, said in the order's terms; the actor
/// turns it into journal commands in one place.
struct order_change {
  enum class kind {
    planned,          ///< the lines got their warehouses
    reason_recorded,  ///< why the order is being undone (cancel_reason)
    statuses_reached, ///< new statuses, with their history entries
  };
  kind what = kind::planned;
  /// statuses_reached: the history entries from this index on are new.
  size_t first_entry = 0;
};

/// What the saga asks its actor to do. Effects act on the order as the
/// step that made them left it.
namespace order_effects {
/// Ask warehouse W how much of a product it can hand out.
struct ask_stock {
  std::string warehouse_id;
  std::string product_id;
};
/// Hold these lines at W.
struct reserve {
  std::string warehouse_id;
  std::vector<order_line> lines;
  /// The plan it belongs to (order_record::attempt).
  int64_t attempt = 0;
};
/// Let the order's reservation at W go, for the plan `attempt`: a reserve
/// of that plan arriving later holds nothing.
struct release {
  std::string warehouse_id;
  int64_t attempt = 0;
};
/// Turn the reservation at W into a sale; with `paid_at_ms` (not -1), the
/// order's paid status, stamped so, is stored with the sale.
struct commit {
  std::string warehouse_id;
  int64_t paid_at_ms = -1;
};
/// Put a sale at W back on hand.
struct restock {
  std::string warehouse_id;
};
/// Charge the order (key "<id>:charge").
struct charge {
  payment_request req;
};
/// Refund the order (key "<id>:refund").
struct refund {
  payment_request req;
};
/// Store a change of the order; journal_done follows.
struct journal {
  order_change change;
};
/// Publish history entry `index` for live tracking.
struct publish_status {
  size_t index = 0;
};
/// Publish where the courier is, at `at_ms`.
struct publish_courier {
  int64_t at_ms = 0;
};
/// Hand the delivery to the dispatcher.
struct dispatch {
  delivery_task task;
};
/// Ask the dispatcher to withdraw the delivery.
struct withdraw {};
/// Empty the customer's cart.
struct empty_cart {};
/// Answer everyone waiting for the end of checkout with the order.
struct answer_waiters {};
/// Answer everyone waiting on a cancel or return with the order.
struct answer_cancellers {};
/// Refuse everyone waiting on a cancel with this error.
struct refuse_cancellers {
  berry_errc error = berry_errc::none;
  std::string detail;
};
/// Answer the cancel or return asked just now: with the order (none) or
/// this error.
struct answer_asker {
  berry_errc error = berry_errc::none;
  std::string detail;
};
/// The cancel or return asked just now waits with the others.
struct keep_asker {};
/// Send a step event after a pause.
struct retry_in {
  std::chrono::milliseconds after;
};
/// Send a redispatch event after a pause.
struct redispatch_in {
  std::chrono::milliseconds after;
};
/// The order is done: the actor ends.
struct stop {};
} // namespace order_effects

/// One effect to run.
using order_effect = std::variant<
    order_effects::ask_stock, order_effects::reserve, order_effects::release,
    order_effects::commit, order_effects::restock, order_effects::charge,
    order_effects::refund, order_effects::journal,
    order_effects::publish_status, order_effects::publish_courier,
    order_effects::dispatch, order_effects::withdraw, order_effects::empty_cart,
    order_effects::answer_waiters, order_effects::answer_cancellers,
    order_effects::refuse_cancellers, order_effects::answer_asker,
    order_effects::keep_asker, order_effects::retry_in,
    order_effects::redispatch_in, order_effects::stop>;

using order_effect_list = std::vector<order_effect>;

/// A short text for an effect ("reserve w-1", "journal paid"), for logs
/// and tests.
std::string describe(const order_effect& x, const order_record& rec);

} // namespace berry
