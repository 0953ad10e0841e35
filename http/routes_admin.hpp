#pragma once

// The admin endpoints (API.md "Admin"), all (auth, role admin): products
// are created and changed through the catalog actor, stock through the
// warehouse that owns it.

#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "http/message.hpp"
#include "http/problem.hpp"
#include "protocols/types.hpp"

namespace berry::http {

struct route_env;

/// Applies the fields of a product body {title, description, category_id,
/// price: Money} onto `base`. `create` requires title, category_id and price.
/// 422 validation problems: a title of 1..200 characters, a category among
/// `categories`, an integer amount >= 0 in currency RUB.
outcome<product> apply_product_body(const nlohmann::json& body, product base,
                                    bool create,
                                    const std::vector<category>& categories);

/// The on_hand of a PUT /api/v1/warehouses/{wid}/stock/{product_id} body:
/// an integer 0..10,000,000, or a 422 validation problem.
outcome<int64_t> parse_on_hand(const nlohmann::json& body);

/// The online of a PUT /api/v1/couriers/{id} body: true or false, or a 422
/// validation problem.
outcome<bool> parse_courier_online(const nlohmann::json& body);

/// POST /api/v1/products -> 201 Product.
void post_product(const route_env& env, const request& req, responder respond);

/// PATCH /api/v1/products/{id} -> 200 Product; 404 for an unknown id.
void patch_product(const route_env& env, const request& req, responder respond);

/// GET /api/v1/warehouses -> 200 {items: [{id, name, location}]}.
void get_warehouses(const route_env& env, const request& req,
                    responder respond);

/// GET /api/v1/warehouses/{wid}/stock/{product_id} -> 200 {warehouse_id,
/// product_id, on_hand, reserved}; 404 for an unknown warehouse or product.
void get_stock(const route_env& env, const request& req, responder respond);

/// PUT /api/v1/warehouses/{wid}/stock/{product_id} {on_hand} -> 200, same
/// shape; 422 unless on_hand is an integer >= 0, 409 below the reserved.
void put_stock(const route_env& env, const request& req, responder respond);

/// GET /api/v1/admin/stock?q=&category=&page=&page_size= -> 200 {items:
/// [{product: Product, stock: [{warehouse_id, on_hand, reserved}]}], page,
/// page_size, total}: a page of the stock table in one request, products as
/// GET /api/v1/products lists them, warehouses in id order.
void get_admin_stock(const route_env& env, const request& req,
                     responder respond);

/// GET /api/v1/couriers: every courier, where it is and what it does.
void get_couriers(const route_env& env, const request& req, responder respond);
/// PUT /api/v1/couriers/{id} {online}: off duty (its delivery goes to
/// another courier) or back on.
void put_courier(const route_env& env, const request& req, responder respond);

} // namespace berry::http
