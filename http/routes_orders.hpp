#pragma once

// Checkout and orders (API.md "Checkout" and "Orders"), all (auth).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "http/message.hpp"
#include "http/problem.hpp"
#include "http/websocket.hpp"
#include "protocols/commerce.hpp"

namespace berry::http {

struct route_env;

/// An Order as API.md spells it, plus the delivery address, once charged
/// `payment: {id, status: captured | refunded, amount}`, and given the
/// warehouses of the node, `warehouses: [{id, name, location}]` its lines
/// are picked from (so a map can draw the route).
nlohmann::json order_json(const order_record& x,
                          const std::vector<warehouse_info>& warehouses = {});

/// The same document written straight into `out`, byte for byte what
/// dump_json(order_json(x, warehouses)) makes (with `number` when given, as
/// the orders' own routes add it), without building a JSON value first:
/// every checkout answers one.
void append_order_json(std::string& out, const order_record& x,
                       const std::vector<warehouse_info>& warehouses = {},
                       std::optional<int64_t> number = std::nullopt);

/// The node's warehouses, for order_json.
std::vector<warehouse_info> warehouse_infos(const route_env& env);

/// The checkout request of a JSON body, or a 422 validation problem.
/// `user_id` and the key are filled in by the caller.
outcome<checkout_request> parse_checkout(const nlohmann::json& body);

/// The query of GET /api/v1/orders.
struct orders_query {
  int64_t page = 1;       ///< 1-based
  int64_t page_size = 20; ///< 1..100
  /// Also list the orders cancelled before they were paid.
  bool include_unpaid = false;
};

/// Parses `page`, `page_size` (at most 100) and `include_unpaid`
/// (true|false); anything else is a 422 validation problem naming the
/// parameter.
outcome<orders_query> parse_orders_query(std::string_view query);

/// True for an Idempotency-Key of 1..255 visible ASCII characters.
bool valid_idempotency_key(std::string_view key);

void post_checkout(const route_env& env, const request& req, responder respond);
/// Why `a` cannot be delivered to (outside the delivery zone: a 422
/// validation problem), or nothing (routes_orders_address.cpp).
std::optional<problem> delivery_address_problem(const delivery_address& a);

/// GET /api/v1/addresses?q=: up to 8 houses of the city's street list
/// for a typed address.
void get_addresses(const route_env& env, const request& req, responder respond);
/// GET /api/v1/addresses/nearest?lat=&lon=: the house nearest a point.
void get_nearest_address(const route_env& env, const request& req,
                         responder respond);
/// GET /api/v1/streets: the streets to draw and the delivery zone.
void get_streets(const route_env& env, const request& req, responder respond);

/// GET /api/v1/orders (routes_orders_list.cpp).
void get_orders(const route_env& env, const request& req, responder respond);
void get_order(const route_env& env, const request& req, responder respond);
void post_order_cancel(const route_env& env, const request& req,
                       responder respond);
void post_order_return(const route_env& env, const request& req,
                       responder respond);

/// GET /api/v1/orders/{id}/track without an upgrade: 426.
void get_order_track(const route_env& env, const request& req,
                     responder respond);
/// The tracking WebSocket: 401 or 404 (not the owner) before the upgrade;
/// then a snapshot, statuses with their seq and courier moves, and a normal
/// close after the final status.
void upgrade_order_track(const route_env& env, const request& req,
                         upgrade_responder respond);

} // namespace berry::http
