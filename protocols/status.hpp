#pragma once

// The typed vocabulary of states: what an order, a warehouse hold, a payment,
// a courier and a tracking frame can be. Text exists only at the JSON and SQL
// boundaries, through the one to_string / from_string pair of each enum; the
// text is what the API and the database have always shown.
//
// CAF 0.17 serializes an enum as its underlying integer (data_processor has
// its own overload for enums; an `inspect` beside it would be ambiguous), so
// the structs that carry these enums inspect them like any field, and the
// numbers below are fixed: never reorder them, only append. CAF's
// deep_to_string prints them through to_string.

#include <cstdint>
#include <string_view>

namespace berry {

/// Where an order is. `none` (text "") only in a delivery_event that moves
/// the courier without a new status, and before an order is created.
enum class order_status : uint8_t {
  none = 0,
  pending,
  reserved,
  paid,
  packed,
  courier_assigned,
  picked_up,
  delivered,
  cancelled,
  returned,
};

/// What a warehouse holds, or did, for one order. `none` (""): nothing yet.
enum class hold_state : uint8_t {
  none = 0,
  reserved,
  committed,
  released,
  restocked,
};

/// The provider's word on a payment. `failed` (a transient failure) is kept
/// by the provider for a try, never an answer; `none` (""): no word yet.
enum class payment_status : uint8_t {
  none = 0,
  captured,
  declined,
  refunded,
  processing,
  unknown,
  failed,
};

/// What a payment at the provider is: a charge or a refund.
enum class payment_kind : uint8_t {
  charge = 1,
  refund,
};

/// What a courier is doing. `assigning` is the dispatcher's own (a task is
/// on its way to the courier) and is shown as `to_pickup`.
enum class courier_state : uint8_t {
  idle = 0,
  assigning,
  to_pickup,
  to_dropoff,
  offline,
};

/// Why an order was cancelled, or is being compensated: a cancel reason, or
/// `customer_return` ("return"), which ends as status returned. `none` ("").
enum class compensation_reason : uint8_t {
  none = 0,
  out_of_stock,
  payment_declined,
  payment_error,
  customer,
  reservation_expired,
  warehouse_unavailable,
  customer_return,
};

/// What a tracking frame tells: a status reached, or where the courier is.
enum class tracking_type : uint8_t {
  status = 0,
  courier,
};

/// The text of a value, as the API and the database show it.
const char* to_string(order_status x);
const char* to_string(hold_state x);
const char* to_string(payment_status x);
const char* to_string(payment_kind x);
const char* to_string(courier_state x);
const char* to_string(compensation_reason x);
const char* to_string(tracking_type x);

/// Reads a value from its text; false (and `x` untouched) on any other text.
bool from_string(std::string_view text, order_status& x);
bool from_string(std::string_view text, hold_state& x);
bool from_string(std::string_view text, payment_status& x);
bool from_string(std::string_view text, payment_kind& x);
bool from_string(std::string_view text, courier_state& x);
bool from_string(std::string_view text, compensation_reason& x);
bool from_string(std::string_view text, tracking_type& x);

/// True for the statuses an order never leaves: delivered, cancelled,
/// returned.
bool is_final(order_status x);

} // namespace berry
