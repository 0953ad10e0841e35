#pragma once

// What a shopper and an admin do over HTTP, as helpers for the integration
// tests: register, log in, set stock, check out.

#include <chrono>
#include <string>
#include <thread>

#include "http_client.hpp"
#include "process.hpp"

namespace berry::test {

inline const std::string admin_email = "admin@berry.test";
inline const std::string admin_password = "admin-secret-42";

/// A server started with the admin account.
inline berry_server shop_server(const std::string& dir,
                                std::vector<std::string> extra = {}) {
  return berry_server{dir,
                      std::move(extra),
                      {"BERRY_ADMIN_EMAIL=" + admin_email,
                       "BERRY_ADMIN_PASSWORD=" + admin_password}};
}

/// "Authorization: Bearer TOKEN".
inline std::map<std::string, std::string> bearer(const std::string& token) {
  return {{"Authorization", "Bearer " + token}};
}

/// Registers a customer; returns its token (empty on failure).
inline std::string register_customer(uint16_t port, const std::string& email) {
  nlohmann::json body{
      {"email", email}, {"password", "password-123"}, {"name", "Покупатель"}};
  auto res = request(port, "POST", "/api/v1/auth/register", body.dump(),
                     {{"Content-Type", "application/json"}});
  if (res.status != 201)
    return {};
  return res.json()["token"];
}

/// Logs the admin in; returns its token.
inline std::string admin_token(uint16_t port) {
  nlohmann::json body{{"email", admin_email}, {"password", admin_password}};
  auto res = request(port, "POST", "/api/v1/auth/login", body.dump(),
                     {{"Content-Type", "application/json"}});
  return res.status == 200 ? res.json()["token"].get<std::string>() : "";
}

/// The warehouse ids.
inline std::vector<std::string> warehouse_ids(uint16_t port,
                                              const std::string& admin) {
  std::vector<std::string> out;
  auto res = get(port, "/api/v1/warehouses", bearer(admin));
  auto body = res.json(); // the loop below must not outlive it
  for (auto& w : body["items"])
    out.push_back(w["id"]);
  return out;
}

/// Sets on-hand of a product in a warehouse; returns the HTTP status.
inline int set_stock(uint16_t port, const std::string& admin,
                     const std::string& wid, const std::string& pid,
                     int64_t on_hand) {
  auto h = bearer(admin);
  h["Content-Type"] = "application/json";
  return request(port, "PUT", "/api/v1/warehouses/" + wid + "/stock/" + pid,
                 nlohmann::json{{"on_hand", on_hand}}.dump(), h)
      .status;
}

/// Puts exactly `units` of `pid` into the first warehouse, none elsewhere.
inline void stock_only(uint16_t port, const std::string& admin,
                       const std::string& pid, int64_t units) {
  auto ids = warehouse_ids(port, admin);
  for (size_t i = 0; i < ids.size(); ++i)
    set_stock(port, admin, ids[i], pid, i == 0 ? units : 0);
}

/// A checkout body for `lines` (product, qty) with `token`.
inline nlohmann::json
checkout_body(std::vector<std::pair<std::string, int>> lines,
              const std::string& token) {
  nlohmann::json body{{"address",
                       {{"lat", 55.7601},
                        {"lon", 37.6186},
                        {"text", "Москва, Тверская ул., 1"}}},
                      {"payment", {{"method", "card"}, {"token", token}}}};
  if (!lines.empty()) {
    body["lines"] = nlohmann::json::array();
    for (auto& [p, q] : lines)
      body["lines"].push_back({{"product_id", p}, {"qty", q}});
  }
  return body;
}

/// POST /api/v1/checkout.
inline http_response checkout(uint16_t port, const std::string& token,
                              const std::string& key,
                              const nlohmann::json& body) {
  auto h = bearer(token);
  h["Content-Type"] = "application/json";
  h["Idempotency-Key"] = key;
  return request(port, "POST", "/api/v1/checkout", body.dump(), h);
}

/// The product's `available` as the catalog shows it.
inline int64_t available(uint16_t port, const std::string& pid) {
  return get(port, "/api/v1/products/" + pid).json()["available"];
}

} // namespace berry::test

namespace berry::test {

/// Asks `probe` until it returns true or `timeout_ms` pass: for what the
/// server makes true a moment after it answered (a catalog snapshot that
/// is published a few milliseconds after a sale, a saga that goes on).
template <class Probe>
bool eventually(Probe probe, int timeout_ms = 10000) {
  auto until =
      std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  for (;;) {
    if (probe())
      return true;
    if (std::chrono::steady_clock::now() > until)
      return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

} // namespace berry::test
