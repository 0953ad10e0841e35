#pragma once

// The decisions of one order, as a pure saga: given the order's state and
// one event (an answer, a request, a timer), it returns the effects to run
// and moves to its next stage. No actors here: actors/order.cpp runs the
// effects and feeds the answers back; tests/actors/order_saga_state_test.cpp
// drives every branch directly. The diagram is in order_saga.cpp.

#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <string>
#include <vector>

#include "actors/order_saga_events.hpp"
#include "actors/order_state.hpp"

namespace berry {

/// What the saga knows of the world around it.
struct order_saga_config {
  /// Every warehouse, with where it is (planning, pickups).
  std::vector<warehouse_info> warehouse_infos;
  /// The warehouses it can ask, in the order it asks them.
  std::vector<std::string> warehouse_ids;
  /// Whether paid orders are handed to a dispatcher.
  bool has_dispatcher = false;
  /// How often a whole reservation is planned again.
  int max_plan_attempts = 3;
  /// How often a delivery is handed over again (0: never).
  std::chrono::milliseconds redispatch_every{10000};
  /// The pause before a failed part is tried again.
  std::chrono::milliseconds retry_after{1000};
  /// The pause before planning again when a warehouse could not be reached
  /// (down, or its shard between two nodes for a moment).
  std::chrono::milliseconds replan_after{200};
};

/// The order's saga: its record, where it is, and what it waits for.
struct order_saga {
  /// Where the saga goes on from when nothing is in flight.
  enum class phase { plan, reserve, pay, commit, deliver, compensate, end };
  /// What the saga waits for now.
  enum class stage {
    starting,
    asking_stock,
    storing_plan,
    reserving,
    releasing,
    storing_reserved,
    paying,
    committing,
    storing_paid,
    following, ///< delivering, nothing in flight
    dispatching,
    withdrawing,
    storing_delivery,
    dispatch_retry,
    plan_retry,
    storing_reason,
    refunding,
    giving_back,
    compensation_retry,
    storing_end,
    ended,
  };

  order_record rec;
  order_saga_config cfg;
  stage at = stage::starting;
  /// Where a fresh saga goes on from at its first step.
  phase resume_at = phase::plan;
  /// Why the order is being undone: a cancel reason, or customer_return;
  /// none while it is not.
  compensation_reason compensation = compensation_reason::none;
  int plan_attempts = 0;

  /// Fan-out bookkeeping: stock answers still due and what they said;
  /// the warehouses still to answer (giving back: none while the restock is
  /// asked, else the restock's error and a release is asked instead); the
  /// errors of those that refused.
  size_t stock_due = 0;
  stock_map avail;
  /// Some stock question of this plan went unanswered.
  bool stock_unanswered = false;
  std::map<std::string, berry_errc> due;
  std::vector<berry_errc> failures;
  /// A refused reservation: was every refusal out_of_stock? Was one
  /// because a warehouse could not be reached?
  bool sold_out = false;
  bool unreached = false;
  /// When the commit in flight stores the paid status too (one warehouse):
  /// the time it is stamped with; -1 otherwise.
  int64_t paid_at = -1;

  /// Delivery: handed to the dispatcher (until the redispatch timer), a
  /// cancel that waits for the withdrawal, events not yet applied.
  bool handed_over = false;
  bool withdraw_wanted = false;
  std::deque<delivery_event> events;
  size_t delivery_first = 0;

  /// The saga of `rec` as stored (new, or read back after a crash): it goes
  /// on from the order's status at its first step event.
  static order_saga resume(order_record rec, order_saga_config cfg);

  /// Takes one event at `now_ms`: the effects to run, in order.
  order_effect_list handle(const order_event& ev, int64_t now_ms);

  /// True while the order is with the delivery part of the saga.
  bool delivering() const;

  /// True when the store the saga waits for may be taken as done as soon as
  /// it is sent: the step after it asks actors that journal before they
  /// answer (warehouses reserving after a plan, the provider charging after
  /// reserved), and the journal commits in the order it is asked, so no
  /// answer of that step can come from a write that is durable before this
  /// one. The checkout then waits for one commit where it waited for two.
  /// A store that ends the checkout or compensates always waits.
  bool store_rides_with_next() const;

private:
  // checkout and compensation: order_saga.cpp
  void advance(phase next, int64_t now, order_effect_list& out);
  void on_stock(const order_events::stock_answered& x, int64_t now,
                order_effect_list& out);
  void on_warehouse(const order_events::warehouse_answered& x, int64_t now,
                    order_effect_list& out);
  void on_payment(const order_events::payment_answered& x, int64_t now,
                  order_effect_list& out);
  void on_journal(int64_t now, order_effect_list& out);
  void on_step(int64_t now, order_effect_list& out);
  void plan(int64_t now, order_effect_list& out);
  /// Plans again after replan_after.
  void plan_later(order_effect_list& out);
  void fan_out(stage s, int64_t now, order_effect_list& out);
  void fan_out_done(int64_t now, order_effect_list& out);
  void reach(order_status status, stage s, int64_t now, order_effect_list& out);
  void compensate(int64_t now, order_effect_list& out);
  void refund_then_give_back(int64_t now, order_effect_list& out);
  void finish(order_effect_list& out);
  // cancel, return and delivery: order_saga_delivery.cpp
  void on_cancel(int64_t now, order_effect_list& out);
  void on_return(int64_t now, order_effect_list& out);
  void on_dispatcher(const order_events::dispatcher_answered& x, int64_t now,
                     order_effect_list& out);
  void on_redispatch(int64_t now, order_effect_list& out);
  void on_delivery(const delivery_event& ev, int64_t now,
                   order_effect_list& out);
  void follow(int64_t now, order_effect_list& out);
  void apply_event(const delivery_event& ev, int64_t now,
                   order_effect_list& out);
  delivery_task delivery() const;
};

} // namespace berry
