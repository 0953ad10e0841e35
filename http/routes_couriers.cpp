// Admin routes for the couriers: where each one is and what it does (the
// dispatcher knows), and taking one off duty or back on.

#include <nlohmann/json.hpp>

#include "http/auth.hpp"
#include "http/bridge.hpp"
#include "http/json_body.hpp"
#include "http/json_mapping.hpp"
#include "http/routes.hpp"
#include "http/routes_admin.hpp"

namespace berry::http {

namespace {

nlohmann::json courier_json(const courier_status& x) {
  nlohmann::json j{{"id", x.id},
                   {"name", x.name},
                   {"status", to_string(x.status)},
                   {"location", geo_json(x.location)}};
  if (!x.order_id.empty())
    j["order_id"] = x.order_id;
  if (x.eta_s >= 0)
    j["eta_s"] = x.eta_s;
  return j;
}

} // namespace

outcome<bool> parse_courier_online(const nlohmann::json& body) {
  auto online = body.find("online");
  if (online == body.end() || !online->is_boolean())
    return make_problem(berry_errc::validation, "online must be true or false");
  return online->get<bool>();
}

void get_couriers(const route_env& env, const request& req, responder respond) {
  auto who = authorize(env, req, "admin");
  if (!who)
    return respond(problem_response(who.error(), req.request_id));
  ask<std::vector<courier_status>>(
      *env.ctx.sys, env.ctx.dispatcher, default_ask_timeout,
      [respond](std::vector<courier_status>& xs) {
        auto items = nlohmann::json::array();
        for (auto& x : xs)
          items.push_back(courier_json(x));
        respond(json_response(dump_json({{"items", std::move(items)}})));
      },
      fail_with(req, respond), list_atom_v);
}

void put_courier(const route_env& env, const request& req, responder respond) {
  auto who = authorize(env, req, "admin");
  if (!who)
    return respond(problem_response(who.error(), req.request_id));
  auto body = parse_json_body(req);
  if (!body)
    return respond(problem_response(body.error(), req.request_id));
  auto online = parse_courier_online(*body);
  if (!online)
    return respond(problem_response(online.error(), req.request_id));
  ask<courier_status>(
      *env.ctx.sys, env.ctx.dispatcher, default_ask_timeout,
      [respond](courier_status& x) {
        respond(json_response(dump_json(courier_json(x))));
      },
      fail_with(req, respond), online_atom_v, std::string{req.param("id")},
      *online);
}

} // namespace berry::http
