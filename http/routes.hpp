#pragma once

// Berry's route table and what its handlers need. Handlers are free
// functions over a route_env, grouped by area in routes_<area>.cpp (ops,
// auth, catalog, cart, orders, tracking, admin, couriers; the storefront's
// files in static_files_site.cpp); this header gathers them into the one table.

#include <functional>
#include <memory>
#include <vector>

#include "http/edge_context.hpp"
#include "http/message.hpp"
#include "http/router.hpp"

namespace berry::http {

class edge_limits;
class tracking_feeds;

/// What route handlers may use besides the request. Owned by the server.
struct route_env {
  edge_context ctx;
  /// Queues a job on the read pool (blocking SQLite reads live there);
  /// false when its queue is full, and the job is dropped.
  std::function<bool(std::function<void()>)> post_read;
  /// Queues a readiness probe of the database on a thread of its own, so
  /// that a load balancer's health check never waits behind the reads.
  std::function<bool(std::function<void()>)> post_probe;
  /// True once the server serves and until it starts draining.
  std::function<bool()> is_ready;
  /// Rate limits and open-socket counts; null in tests that need none.
  std::shared_ptr<edge_limits> limits;
  /// The order feeds of tracking sockets; null without a tracking actor.
  std::shared_ptr<tracking_feeds> feeds;
};

/// The whole table, in one place.
std::vector<route> make_routes(const route_env& env);

// Handlers, by area. Each answers through `respond`.

void get_healthz(const route_env& env, const request& req, responder respond);
void get_readyz(const route_env& env, const request& req, responder respond);
void get_metrics(const route_env& env, const request& req, responder respond);
void get_openapi(const route_env& env, const request& req, responder respond);
void get_categories(const route_env& env, const request& req,
                    responder respond);
void get_products(const route_env& env, const request& req, responder respond);
void get_product(const route_env& env, const request& req, responder respond);
void post_product(const route_env& env, const request& req, responder respond);
void api_not_found(const route_env& env, const request& req, responder respond);

/// The 503 (Retry-After) of a read whose queue is full (route_env::post_read
/// said no): too many searches or listings wait already.
response read_queue_full(const std::string& request_id);

/// A 200 JSON response carrying `etag`, or a 304 when the request's
/// If-None-Match names it. API responses are `Cache-Control: no-cache`.
response cached_json(const request& req, std::string body, std::string etag);

/// cached_json of a body kept elsewhere: copied into a 200 only.
response cached_json_of(const request& req, const std::string& body,
                        std::string etag);

} // namespace berry::http
