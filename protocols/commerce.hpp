#pragma once

// The vocabulary of accounts, carts, checkout, payment and orders: plain
// structs with `inspect` that the actors exchange.

#include <cstdint>
#include <string>
#include <vector>

#include <caf/meta/type_name.hpp>

#include "protocols/status.hpp"
#include "protocols/types.hpp"

namespace berry {

/// A user account. `password_hash` is an argon2id string (libsodium).
struct user_account {
  std::string id;
  std::string email;
  std::string name;
  std::string role; ///< customer | courier | admin
  std::string password_hash;
  int64_t created_at_ms = 0;
  /// Tokens carry it; a password change or an admin reset raises it, which
  /// revokes every older token.
  int64_t token_version = 0;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, user_account& x) {
  return f(caf::meta::type_name("user_account"), x.id, x.email, x.name, x.role,
           x.password_hash, x.created_at_ms, x.token_version);
}

/// One line of a cart.
struct cart_line {
  std::string product_id;
  int32_t qty = 0;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, cart_line& x) {
  return f(caf::meta::type_name("cart_line"), x.product_id, x.qty);
}

/// One line of an order: priced from the catalog at checkout, and the
/// warehouse it is taken from.
struct order_line {
  std::string product_id;
  int32_t qty = 0;
  int64_t unit_price = 0; ///< kopecks
  std::string warehouse_id;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, order_line& x) {
  return f(caf::meta::type_name("order_line"), x.product_id, x.qty,
           x.unit_price, x.warehouse_id);
}

/// Where an order goes.
struct delivery_address {
  geo_point location;
  std::string text;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, delivery_address& x) {
  return f(caf::meta::type_name("delivery_address"), x.location, x.text);
}

/// Asks one warehouse to hold units for an order: all lines or none.
struct reserve_request {
  std::string order_id;
  std::vector<order_line> lines; ///< this warehouse's lines only
  /// The saga's plan this reservation belongs to (order_record::attempt):
  /// refused once a release of this attempt or a later one was decided.
  /// 0: none given (no such check).
  int64_t attempt = 0;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, reserve_request& x) {
  return f(caf::meta::type_name("reserve_request"), x.order_id, x.lines,
           x.attempt);
}

/// What a warehouse holds for an order, until `expires_at_ms`.
struct reservation {
  std::string order_id;
  std::string warehouse_id;
  std::vector<order_line> lines;
  int64_t expires_at_ms = 0;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, reservation& x) {
  return f(caf::meta::type_name("reservation"), x.order_id, x.warehouse_id,
           x.lines, x.expires_at_ms);
}

/// A charge or a refund. `key` is the idempotency key at the provider,
/// derived from the order and the step ("<order_id>:charge").
struct payment_request {
  std::string key;
  std::string order_id;
  int64_t amount = 0; ///< kopecks
  std::string token;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, payment_request& x) {
  return f(caf::meta::type_name("payment_request"), x.key, x.order_id, x.amount,
           x.token);
}

/// The provider's word on a payment.
struct payment_result {
  std::string key;
  std::string payment_id;
  payment_status status = payment_status::none;
  int64_t amount = 0;
  std::string detail;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, payment_result& x) {
  return f(caf::meta::type_name("payment_result"), x.key, x.payment_id,
           x.status, x.amount, x.detail);
}

/// One status an order reached, and when.
struct status_change {
  order_status status = order_status::none;
  int64_t at_ms = 0;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, status_change& x) {
  return f(caf::meta::type_name("status_change"), x.status, x.at_ms);
}

/// An order as it is stored and shown.
struct order_record {
  std::string id;
  std::string user_id;
  order_status status = order_status::none;
  std::vector<order_line> lines;
  int64_t total = 0; ///< kopecks
  delivery_address address;
  std::string payment_token;
  std::string payment_id;
  int64_t created_at_ms = 0;
  std::vector<status_change> history;
  /// Why it was cancelled (none while it is not).
  compensation_reason cancel_reason = compensation_reason::none;
  std::string idempotency_key;
  std::string request_hash;
  /// Logistics: the courier carrying it, where, and the ETA (-1: none).
  std::string courier_id;
  geo_point courier_location;
  int64_t eta_s = -1;
  /// Checked out from the cart, which is emptied once the order is paid.
  bool from_cart = false;
  /// How many times the saga planned the order (stored with each plan):
  /// its reserves and releases carry it, so that a reserve that reaches a
  /// warehouse after the release of its plan holds nothing.
  int64_t attempt = 0;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, order_record& x) {
  return f(caf::meta::type_name("order_record"), x.id, x.user_id, x.status,
           x.lines, x.total, x.address, x.payment_token, x.payment_id,
           x.created_at_ms, x.history, x.cancel_reason, x.idempotency_key,
           x.request_hash, x.courier_id, x.courier_location, x.eta_s,
           x.from_cart, x.attempt);
}

/// A delivery the dispatcher is asked to carry out, or to go on with after
/// a restart: `status` and `courier_id` say how far it got.
struct delivery_task {
  std::string order_id;
  /// The order's status now: paid, packed, courier_assigned or picked_up.
  order_status status = order_status::none;
  /// The courier carrying it (courier_assigned, picked_up), else empty.
  std::string courier_id;
  /// Where the parcels are collected: the order's warehouses, in order.
  std::vector<geo_point> pickups;
  geo_point dropoff; ///< the delivery address
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, delivery_task& x) {
  return f(caf::meta::type_name("delivery_task"), x.order_id, x.status,
           x.courier_id, x.pickups, x.dropoff);
}

/// What happened to a delivery, told to its order: a new status, or (with
/// status none) where the courier is now and how long it still needs.
struct delivery_event {
  std::string order_id;
  /// packed, courier_assigned, picked_up, delivered, or none (a move).
  order_status status = order_status::none;
  std::string courier_id;
  geo_point location;
  int64_t eta_s = -1; ///< simulated seconds to the address; -1: unknown
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, delivery_event& x) {
  return f(caf::meta::type_name("delivery_event"), x.order_id, x.status,
           x.courier_id, x.location, x.eta_s);
}

/// One frame for the subscribers of an order: a status the order reached
/// (journaled first; `seq` is its place in the order's history, from 1), or
/// where its courier is (type courier, seq of the latest status).
struct tracking_event {
  std::string order_id;
  tracking_type type = tracking_type::status;
  order_status status = order_status::none;
  int64_t at_ms = 0;
  int64_t seq = 0;
  geo_point location;
  int64_t eta_s = -1;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, tracking_event& x) {
  return f(caf::meta::type_name("tracking_event"), x.order_id, x.type, x.status,
           x.at_ms, x.seq, x.location, x.eta_s);
}

/// A courier as the dispatcher shows it (admin map, tests).
struct courier_status {
  std::string id;
  std::string name;
  courier_state status = courier_state::idle;
  geo_point location;
  std::string order_id; ///< the delivery it carries out, if any
  int64_t eta_s = -1;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, courier_status& x) {
  return f(caf::meta::type_name("courier_status"), x.id, x.name, x.status,
           x.location, x.order_id, x.eta_s);
}

/// A checkout as the edge hands it over.
struct checkout_request {
  std::string user_id;
  std::string idempotency_key;
  /// A digest of the request body: the same key with another body is refused.
  std::string request_hash;
  std::vector<cart_line> lines; ///< empty: the user's cart
  delivery_address address;
  std::string payment_token;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, checkout_request& x) {
  return f(caf::meta::type_name("checkout_request"), x.user_id,
           x.idempotency_key, x.request_hash, x.lines, x.address,
           x.payment_token);
}

} // namespace berry
