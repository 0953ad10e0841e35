// Checkout and orders: the edge checks the caller and the body, then hands
// the work to the order manager through the bridge; nothing here blocks.

#include "http/routes_orders.hpp"

#include <exception>

#include <nlohmann/json.hpp>

#include "actors/order_state.hpp"
#include "config/logging.hpp"
#include "http/auth.hpp"
#include "http/bridge.hpp"
#include "http/etag.hpp"
#include "http/json_body.hpp"
#include "http/json_mapping.hpp"
#include "http/routes.hpp"
#include "storage/order_repo.hpp"
#include "storage/read_connection.hpp"

namespace berry::http {

std::vector<warehouse_info> warehouse_infos(const route_env& env) {
  std::vector<warehouse_info> out;
  for (auto& [id, w] : env.ctx.warehouses)
    out.push_back(w.info);
  return out;
}

namespace {

response order_response(const route_env& env, const order_record& x,
                        int status = 200) {
  std::string body;
  body.reserve(1024);
  append_order_json(body, x, warehouse_infos(env));
  return json_response(std::move(body), status);
}

/// Answers the order with its short number, read from storage on the read
/// pool; an order whose row cannot be read, or that finds the read queue
/// full, is answered without it.
void respond_numbered(const route_env& env, const std::string& rid,
                      const order_record& x, const responder& respond) {
  auto text = [x, ws = warehouse_infos(env)](std::optional<int64_t> number) {
    std::string body;
    body.reserve(1024);
    append_order_json(body, x, ws, number);
    return body;
  };
  auto queued = env.post_read([&env, rid, id = x.id, text, respond] {
    std::optional<int64_t> number;
    try {
      auto& db = storage::read_connection(env.ctx.db_path);
      number = storage::find_order_number(db, id);
    } catch (const std::exception& e) {
      log::warn("order number not read",
                {{"request_id", rid}, {"error", e.what()}});
    }
    respond(json_response(text(number)));
  });
  if (!queued)
    respond(json_response(text(std::nullopt)));
}

/// Calls `then(caller)` for an authenticated caller, else answers 401.
template <class Then>
void with_caller(const route_env& env, const request& req,
                 const responder& respond, Then then) {
  auto who = authenticate(env, req);
  if (!who) {
    respond(problem_response(who.error(), req.request_id));
    return;
  }
  then(*who);
}

/// The answer to a failed checkout. A conflict that names an order
/// (detail, order id) is the running checkout of the same cart: 409
/// checkout-in-progress with `order_id`.
response checkout_refusal(const std::string& request_id,
                          const caf::error& err) {
  auto& ctx = err.context();
  if (!is_error(err, berry_errc::conflict) ||
      !ctx.match_elements<std::string, std::string>())
    return error_response(err, request_id);
  auto p =
      make_problem(409, "checkout-in-progress", ctx.get_as<std::string>(0));
  p.title = "Checkout in progress";
  auto res = problem_response(p, request_id);
  auto body = nlohmann::json::parse(res.body);
  body["order_id"] = ctx.get_as<std::string>(1);
  res.body = dump_json(body);
  return res;
}

} // namespace

void post_checkout(const route_env& env, const request& req,
                   responder respond) {
  with_caller(env, req, respond, [&](const principal& who) {
    auto key = std::string{req.header_value("Idempotency-Key")};
    if (!valid_idempotency_key(key)) {
      respond(problem_response(
          make_problem(400, "bad-request",
                       "Idempotency-Key (1..255 visible ASCII) is required"),
          req.request_id));
      return;
    }
    auto body = parse_json_body(req);
    if (!body) {
      respond(problem_response(body.error(), req.request_id));
      return;
    }
    auto checkout = parse_checkout(*body);
    if (!checkout) {
      respond(problem_response(checkout.error(), req.request_id));
      return;
    }
    if (auto far = delivery_address_problem(checkout->address)) {
      respond(problem_response(*far, req.request_id));
      return;
    }
    checkout->user_id = who.user_id;
    checkout->idempotency_key = key;
    // The same key with the same body is the same request.
    checkout->request_hash = make_etag(body->dump());
    // The order manager answers once, by the checkout deadline: the order
    // (201 once paid, 202 while it goes on) or the error that ended it.
    ask<order_record>(
        *env.ctx.sys, env.ctx.orders,
        env.ctx.cfg->checkout_deadline + 2 * default_ask_timeout,
        [&env, respond](order_record& x) {
          respond(order_response(env, x,
                                 reached(x, order_status::paid) ? 201 : 202));
        },
        // (the request id only: the request itself, body and headers,
        // would be copied into the asking actor and its callback)
        [respond, rid = req.request_id](caf::error& err) {
          respond(checkout_refusal(rid, err));
        },
        checkout_atom_v, std::move(*checkout));
  });
}

namespace {

/// Asks the order manager `(atom, user, id)` and answers the order.
template <class Atom>
void order_action(const route_env& env, const request& req, responder respond,
                  Atom atom) {
  with_caller(env, req, respond, [&](const principal& who) {
    ask<order_record>(
        *env.ctx.sys, env.ctx.orders, default_ask_timeout,
        [&env, respond, rid = req.request_id](order_record& x) {
          respond_numbered(env, rid, std::move(x), respond);
        },
        fail_with(req, respond), atom, who.user_id,
        std::string{req.param("id")});
  });
}

} // namespace

void get_order(const route_env& env, const request& req, responder respond) {
  order_action(env, req, std::move(respond), caf::get_atom_v);
}

void post_order_cancel(const route_env& env, const request& req,
                       responder respond) {
  order_action(env, req, std::move(respond), cancel_atom_v);
}

void post_order_return(const route_env& env, const request& req,
                       responder respond) {
  order_action(env, req, std::move(respond), return_atom_v);
}

} // namespace berry::http
