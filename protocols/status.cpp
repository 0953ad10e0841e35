#include "protocols/status.hpp"

#include <iterator>
#include <utility>

namespace berry {

namespace {

// Each table lists every value once, with its text: to_string and
// from_string below both read it, so the two directions cannot disagree.
template <class Enum>
using table = std::pair<Enum, const char*>;

constexpr table<order_status> order_statuses[] = {
    {order_status::none, ""},
    {order_status::pending, "pending"},
    {order_status::reserved, "reserved"},
    {order_status::paid, "paid"},
    {order_status::packed, "packed"},
    {order_status::courier_assigned, "courier_assigned"},
    {order_status::picked_up, "picked_up"},
    {order_status::delivered, "delivered"},
    {order_status::cancelled, "cancelled"},
    {order_status::returned, "returned"},
};

constexpr table<hold_state> hold_states[] = {
    {hold_state::none, ""},
    {hold_state::reserved, "reserved"},
    {hold_state::committed, "committed"},
    {hold_state::released, "released"},
    {hold_state::restocked, "restocked"},
};

constexpr table<payment_status> payment_statuses[] = {
    {payment_status::none, ""},
    {payment_status::captured, "captured"},
    {payment_status::declined, "declined"},
    {payment_status::refunded, "refunded"},
    {payment_status::processing, "processing"},
    {payment_status::unknown, "unknown"},
    {payment_status::failed, "failed"},
};

constexpr table<payment_kind> payment_kinds[] = {
    {payment_kind::charge, "charge"},
    {payment_kind::refund, "refund"},
};

constexpr table<courier_state> courier_states[] = {
    {courier_state::idle, "idle"},
    {courier_state::assigning, "assigning"},
    {courier_state::to_pickup, "to_pickup"},
    {courier_state::to_dropoff, "to_dropoff"},
    {courier_state::offline, "offline"},
};

constexpr table<compensation_reason> compensation_reasons[] = {
    {compensation_reason::none, ""},
    {compensation_reason::out_of_stock, "out-of-stock"},
    {compensation_reason::payment_declined, "payment-declined"},
    {compensation_reason::payment_error, "payment-error"},
    {compensation_reason::customer, "customer"},
    {compensation_reason::reservation_expired, "reservation-expired"},
    {compensation_reason::warehouse_unavailable, "warehouse-unavailable"},
    {compensation_reason::customer_return, "return"},
};

constexpr table<tracking_type> tracking_types[] = {
    {tracking_type::status, "status"},
    {tracking_type::courier, "courier"},
};

template <class Enum, size_t N>
const char* text_of(const table<Enum> (&xs)[N], Enum x) {
  for (auto& [value, text] : xs)
    if (value == x)
      return text;
  return "?"; // only a value cast from a wrong integer
}

template <class Enum, size_t N>
bool value_of(const table<Enum> (&xs)[N], std::string_view text, Enum& x) {
  for (auto& [value, name] : xs) {
    if (text == name) {
      x = value;
      return true;
    }
  }
  return false;
}

} // namespace

#define BERRY_STATUS_TEXT(type, table)                                         \
  const char* to_string(type x) {                                              \
    return text_of(table, x);                                                  \
  }                                                                            \
  bool from_string(std::string_view text, type& x) {                           \
    return value_of(table, text, x);                                           \
  }

BERRY_STATUS_TEXT(order_status, order_statuses)
BERRY_STATUS_TEXT(hold_state, hold_states)
BERRY_STATUS_TEXT(payment_status, payment_statuses)
BERRY_STATUS_TEXT(payment_kind, payment_kinds)
BERRY_STATUS_TEXT(courier_state, courier_states)
BERRY_STATUS_TEXT(compensation_reason, compensation_reasons)
BERRY_STATUS_TEXT(tracking_type, tracking_types)

#undef BERRY_STATUS_TEXT

bool is_final(order_status x) {
  return x == order_status::delivered || x == order_status::cancelled ||
         x == order_status::returned;
}

} // namespace berry
