#include "http/routes.hpp"

#include "http/etag.hpp"

namespace berry::http {

std::vector<route> make_routes(const route_env& env) {
  auto bind = [&env](void (*fn)(const route_env&, const request&,
                                responder)) -> handler {
    return [&env, fn](const request& req, responder respond) {
      fn(env, req, std::move(respond));
    };
  };
  return {
      {"GET", "/healthz", bind(get_healthz)},
      {"GET", "/readyz", bind(get_readyz)},
      {"GET", "/metrics", bind(get_metrics)},
      {"GET", "/api/v1/categories", bind(get_categories)},
      {"GET", "/api/v1/products", bind(get_products)},
      {"POST", "/api/v1/products", bind(post_product)},
      {"GET", "/api/v1/products/{id}", bind(get_product)},
      {"*", "/api/{*rest}", bind(api_not_found)},
      {"GET", "/{*path}", bind(get_static)},
  };
}

response cached_json(const request& req, std::string body, std::string etag) {
  response res;
  res.set("Cache-Control", "no-cache");
  if (if_none_match(req.header_value("If-None-Match"), etag)) {
    res.status = 304;
  } else {
    res.body = std::move(body);
  }
  res.set("ETag", std::move(etag));
  return res;
}

} // namespace berry::http
