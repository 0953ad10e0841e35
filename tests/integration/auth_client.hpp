#pragma once

// What a client of the auth endpoints does in the integration tests:
// register, log in (from any loopback address), check a problem answer.

#include <catch2/catch.hpp>

#include "shop.hpp"

namespace berry::test {

inline http_response post_json(uint16_t port, const std::string& target,
                               const nlohmann::json& body,
                               std::map<std::string, std::string> headers = {},
                               const std::string& source = {}) {
  headers["Content-Type"] = "application/json";
  http_connection c{port, source};
  c.send("POST", target, body.dump(), headers);
  return c.read_response();
}

inline http_response sign_up(uint16_t port, const std::string& email,
                             const std::string& password,
                             const std::string& name = "Анна") {
  return post_json(port, "/api/v1/auth/register",
                   {{"email", email}, {"password", password}, {"name", name}});
}

/// Logs in from `source` (a 127.x address; the default one when empty).
inline http_response log_in(uint16_t port, const std::string& email,
                            const std::string& password,
                            const std::string& source = {}) {
  return post_json(port, "/api/v1/auth/login",
                   {{"email", email}, {"password", password}}, {}, source);
}

inline nlohmann::json new_product() {
  return {{"title", "Чайник"},
          {"description", "Эмалированный, 2 литра"},
          {"category_id", "c-01"},
          {"price", {{"amount", 150000}, {"currency", "RUB"}}}};
}

inline void check_problem(const http_response& res, int status,
                          const std::string& slug) {
  CHECK(res.status == status);
  CHECK(res.header("content-type") == "application/problem+json");
  CHECK_THAT(res.json()["type"].get<std::string>(), Catch::EndsWith(slug));
}

} // namespace berry::test
