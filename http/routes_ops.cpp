// Operations routes: liveness, readiness, metrics, the OpenAPI document.

#include <exception>

#include "config/logging.hpp"
#include "http/auth.hpp"
#include "http/edge_limits.hpp"
#include "http/etag.hpp"
#include "http/metrics.hpp"
#include "http/openapi.hpp"
#include "http/problem.hpp"
#include "http/routes.hpp"
#include "storage/read_connection.hpp"

namespace berry::http {

void get_healthz(const route_env&, const request&, responder respond) {
  respond(json_response(R"({"status":"ok"})"));
}

void get_openapi(const route_env&, const request& req, responder respond) {
  static const std::string text{openapi_json()};
  static const std::string tag = make_etag(text);
  respond(cached_json(req, text, tag));
}

namespace {

response unavailable(const std::string& rid, const std::string& why) {
  auto res = problem_response(make_problem(503, "unavailable", why), rid);
  res.set("Retry-After", "1");
  return res;
}

} // namespace

void get_readyz(const route_env& env, const request& req, responder respond) {
  if (!env.is_ready || !env.is_ready()) {
    respond(unavailable(req.request_id, "starting or shutting down"));
    return;
  }
  // Ready only while the database answers: a load balancer then sends no
  // one here while PostgreSQL is down or failing over. The probe runs on a
  // thread of its own (not behind the reads: a node busy with listings is
  // still ready), whose connection connects again once the store is back.
  auto& post = env.post_probe ? env.post_probe : env.post_read;
  bool queued = post([&env, rid = req.request_id, respond] {
    try {
      storage::probe_database(env.ctx.db_path);
      respond(json_response(R"({"status":"ready"})"));
    } catch (const std::exception& e) {
      log::warn("not ready: the database does not answer",
                {{"request_id", rid}, {"error", e.what()}});
      respond(unavailable(rid, "the database does not answer"));
    }
  });
  if (!queued)
    respond(read_queue_full(req.request_id));
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
