#pragma once

// The customer's cart (API.md "Cart"), all (auth): the edge checks the
// caller, the body and the product, then asks the cart manager.

#include <cstdint>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "actors/catalog_snapshot.hpp"
#include "http/message.hpp"
#include "http/problem.hpp"
#include "protocols/commerce.hpp"

namespace berry::http {

struct route_env;

/// A Cart: {lines: [{product_id, qty, unit_price: Money}], total: Money},
/// priced from `catalog`. A line whose product left the catalog is dropped.
nlohmann::json cart_json(const std::vector<cart_line>& lines,
                         const catalog_snapshot& catalog);

/// The qty of a PUT /api/v1/cart/lines/{product_id} body: an integer
/// 0..99, or a 422 validation problem.
outcome<int32_t> parse_cart_qty(const nlohmann::json& body);

/// GET /api/v1/cart -> 200 Cart.
void get_cart(const route_env& env, const request& req, responder respond);

/// PUT /api/v1/cart/lines/{product_id} {qty: 0..99} -> 200 Cart.
void put_cart_line(const route_env& env, const request& req, responder respond);

/// DELETE /api/v1/cart -> 204.
void delete_cart(const route_env& env, const request& req, responder respond);

} // namespace berry::http
