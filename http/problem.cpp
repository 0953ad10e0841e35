#include "http/problem.hpp"

#include <caf/message.hpp>
#include <caf/sec.hpp>
#include <nlohmann/json.hpp>

#include "config/logging.hpp"

namespace berry::http {

namespace {

const char* errc_title(berry_errc x) {
  switch (x) {
  case berry_errc::not_found:
    return "Not found";
  case berry_errc::validation:
    return "Invalid request";
  case berry_errc::conflict:
    return "Conflict";
  case berry_errc::out_of_stock:
    return "Out of stock";
  case berry_errc::payment_declined:
    return "Payment declined";
  case berry_errc::idempotency_key_reuse:
    return "Idempotency key reused with another request";
  case berry_errc::idempotency_key_in_use:
    return "Idempotency key in use";
  case berry_errc::unauthorized:
    return "Unauthorized";
  case berry_errc::forbidden:
    return "Forbidden";
  case berry_errc::rate_limited:
    return "Too many requests";
  case berry_errc::unavailable:
  case berry_errc::shard_moved:
    return "Service unavailable";
  case berry_errc::timeout:
    return "Timed out";
  case berry_errc::storage_failure:
    return "Storage failure";
  default:
    return "Internal error";
  }
}

// Titles of the edge's own slugs; other slugs fall back to the status.
const char* edge_title(std::string_view slug, int status) {
  if (slug == "bad-request")
    return "Bad request";
  if (slug == "payload-too-large")
    return "Request body too large";
  if (slug == "headers-too-large")
    return "Request headers too large";
  if (slug == "method-not-allowed")
    return "Method not allowed";
  if (slug == "unavailable")
    return "Service unavailable";
  if (slug == "not-found")
    return "Not found";
  if (slug == "validation")
    return "Invalid request";
  return status >= 500 ? "Internal error" : "Bad request";
}

} // namespace

int http_status(berry_errc x) {
  switch (x) {
  case berry_errc::not_found:
    return 404;
  case berry_errc::validation:
  case berry_errc::idempotency_key_reuse:
    return 422;
  case berry_errc::conflict:
  case berry_errc::out_of_stock:
  case berry_errc::idempotency_key_in_use:
    return 409;
  case berry_errc::payment_declined:
    return 402;
  case berry_errc::unauthorized:
    return 401;
  case berry_errc::forbidden:
    return 403;
  case berry_errc::rate_limited:
    return 429;
  case berry_errc::unavailable:
  case berry_errc::shard_moved:
    return 503;
  case berry_errc::timeout:
    return 504;
  case berry_errc::none:
  case berry_errc::storage_failure:
  case berry_errc::internal:
    return 500;
  }
  return 500;
}

problem make_problem(berry_errc x, std::string detail) {
  return {http_status(x), to_slug(x), errc_title(x), std::move(detail)};
}

problem make_problem(int status, std::string slug, std::string detail) {
  std::string title = edge_title(slug, status);
  return {status, std::move(slug), std::move(title), std::move(detail)};
}

problem make_problem(const caf::error& err) {
  if (err.category() == caf::atom("berry")) {
    auto code = static_cast<berry_errc>(err.code());
    // Actors put a readable reason as the one string of the context.
    auto& ctx = err.context();
    bool reason = ctx.size() == 1 && ctx.match_element<std::string>(0);
    // A storage message (SQLite's text, a constraint's name) tells an
    // attacker about the schema: the client gets a generic detail.
    if (code == berry_errc::storage_failure || code == berry_errc::internal) {
      auto p = make_problem(code, "the server could not complete the request; "
                                  "its request id names it in the log");
      p.logged = reason ? ctx.get_as<std::string>(0) : to_slug(code);
      return p;
    }
    if (reason)
      return make_problem(code, ctx.get_as<std::string>(0));
    return make_problem(code, to_slug(code));
  }
  // A request that timed out or an actor that went away: try again later.
  if (err == caf::sec::request_timeout)
    return make_problem(berry_errc::timeout, "the request timed out");
  if (err == caf::sec::request_receiver_down || err == caf::sec::no_context)
    return make_problem(berry_errc::unavailable, "a service is unavailable");
  return make_problem(berry_errc::internal, "internal error");
}

std::string problem_type(std::string_view slug) {
  return "https://berry.example/problems/" + std::string{slug};
}

std::string render_problem(const problem& p, std::string_view request_id) {
  nlohmann::json j{{"type", problem_type(p.slug)},
                   {"title", p.title},
                   {"status", p.status},
                   {"detail", p.detail}};
  if (!request_id.empty())
    j["request_id"] = request_id;
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

response problem_response(const problem& p, std::string_view request_id) {
  if (!p.logged.empty())
    log::error("request failed", {{"request_id", std::string{request_id}},
                                  {"status", p.status},
                                  {"error", p.logged}});
  response res;
  res.status = p.status;
  res.content_type = "application/problem+json";
  res.body = render_problem(p, request_id);
  res.set("Cache-Control", "no-store");
  // Unavailable (a shard moving, a store away): worth asking again soon.
  if (p.status == 503)
    res.set("Retry-After", "1");
  return res;
}

response error_response(const caf::error& err, std::string_view request_id) {
  auto& ctx = err.context();
  if (err.category() != caf::atom("berry") ||
      !ctx.match_elements<std::string, int64_t>())
    return problem_response(make_problem(err), request_id);
  auto res = problem_response(make_problem(static_cast<berry_errc>(err.code()),
                                           ctx.get_as<std::string>(0)),
                              request_id);
  res.set("Retry-After", std::to_string(ctx.get_as<int64_t>(1)));
  return res;
}

} // namespace berry::http
