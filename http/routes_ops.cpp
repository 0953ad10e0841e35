// Operations routes: liveness, readiness, metrics, the OpenAPI document.

#include "http/routes.hpp"

#include "http/auth.hpp"
#include "http/edge_limits.hpp"
#include "http/etag.hpp"
#include "http/metrics.hpp"
#include "http/openapi.hpp"
#include "http/problem.hpp"

namespace berry::http {

void get_healthz(const route_env&, const request&, responder respond) {
  respond(json_response(R"({"status":"ok"})"));
}

void get_openapi(const route_env&, const request& req, responder respond) {
  static const std::string text{openapi_json()};
  static const std::string tag = make_etag(text);
  respond(cached_json(req, text, tag));
}

void get_readyz(const route_env& env, const request& req, responder respond) {
  if (env.is_ready && env.is_ready()) {
    respond(json_response(R"({"status":"ready"})"));
    return;
  }
  auto res = problem_response(
      make_problem(503, "unavailable", "starting or shutting down"),
      req.request_id);
  res.set("Retry-After", "1");
  respond(std::move(res));
}

void get_metrics(const route_env& env, const request& req, responder respond) {
  // Operators by address (--metrics-allow), or an admin from anywhere (the
  // storefront's dashboard sends its token).
  if (env.limits && !env.limits->may_read_metrics(req.client_ip) &&
      !authorize(env, req, "admin")) {
    respond(problem_response(
        make_problem(berry_errc::forbidden, "metrics are for operators"),
        req.request_id));
    return;
  }
  response res;
  res.content_type = "text/plain; version=0.0.4; charset=utf-8";
  res.body = env.ctx.stats ? env.ctx.stats->render() : std::string{};
  res.set("Cache-Control", "no-store");
  respond(std::move(res));
}

void api_not_found(const route_env&, const request& req, responder respond) {
  respond(problem_response(
      make_problem(berry_errc::not_found, "no such endpoint: " + req.path),
      req.request_id));
}

} // namespace berry::http
