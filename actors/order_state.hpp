#pragma once

// The pure half of an order: where its lines are taken from, which status
// it may go to next, and what its checkout came to. No actors here, so all
// of it is tested directly.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "protocols/commerce.hpp"
#include "protocols/errors.hpp"
#include "protocols/journal_commands.hpp"

namespace berry {

/// Great-circle distance in metres.
double distance_m(geo_point a, geo_point b);

/// Units available per warehouse and product: avail[warehouse][product].
using stock_map = std::map<std::string, std::map<std::string, int64_t>>;

/// Units of `product` that `avail` says `warehouse` has (0 when it says
/// nothing).
int64_t available_units(const stock_map& avail, const std::string& warehouse,
                        const std::string& product);

/// Assigns the order's lines to warehouses: the nearest warehouse to `to`
/// that holds every line takes them all; otherwise each line is split over
/// the nearest warehouses that hold it. Nothing when the stock of all
/// warehouses together cannot cover some line.
std::optional<std::vector<order_line>>
plan_warehouses(const std::vector<order_line>& lines,
                const std::vector<warehouse_info>& warehouses,
                const stock_map& avail, geo_point to);

/// The order's lines grouped by warehouse (lines without one are skipped).
std::map<std::string, std::vector<order_line>>
lines_by_warehouse(const std::vector<order_line>& lines);

/// True once the order's checkout is over: paid or later, or cancelled.
bool checkout_over(const order_record& x);

/// True once the order reached `status` at some point.
bool reached(const order_record& x, order_status status);

/// True while a customer may still cancel: before picked_up.
bool cancellable(const order_record& x);

/// A cancel that found no live order actor, answered from the stored order:
/// none (answer with the order) when it is cancelled already; conflict when
/// it can no longer be cancelled (delivered, say: the actor had just ended);
/// unavailable when it still could be, since its actor is restarting and the
/// customer may try again.
berry_errc cancel_from_storage(const order_record& stored);

/// Moves the order to `status` at `now_ms` and records it in the history.
void set_status(order_record& x, order_status status, int64_t now_ms);

/// Why a checkout failed, told to the customer.
struct checkout_failure {
  /// none while the order goes on, or once it was paid (even if it was
  /// cancelled later); else out_of_stock, payment_declined, conflict (the
  /// customer cancelled it) or unavailable (a service failed).
  berry_errc code = berry_errc::none;
  std::string detail;
};

/// What became of the checkout of this order.
checkout_failure checkout_failure_of(const order_record& x);

/// The journal command for history entry `index` (a status the order
/// reached), with the fields that move with a status: payment, cancel
/// reason, courier and ETA as the order has them now.
order_status_changed status_command(const order_record& x, size_t index);

/// What stores the start of a compensation for `reason`: the reason, and
/// the lines too when a failed plan took their warehouses away (they were
/// stored with them).
journal_batch compensation_commands(const order_record& x,
                                    compensation_reason reason);

} // namespace berry
