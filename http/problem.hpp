#pragma once

// Errors as RFC 9457 problem+json bodies, and the one map from berry_errc to
// an HTTP status. Every error the edge answers goes through here.

#include <string>
#include <string_view>
#include <utility>
#include <variant>

#include "http/message.hpp"
#include "protocols/errors.hpp"

namespace berry::http {

/// One problem: its status, the slug that ends its `type`, a title that is
/// the same for every problem of that type, and what went wrong this time.
struct problem {
  int status = 500;
  std::string slug = "internal";
  std::string title;
  std::string detail;
  /// What only the server log gets (with the request id), never the
  /// client: the text of a storage or internal failure.
  std::string logged;
};

/// The HTTP status of an error code; the one place this map lives.
int http_status(berry_errc x);

/// The problem for an error code, e.g. out_of_stock -> 409 "out-of-stock".
problem make_problem(berry_errc x, std::string detail);

/// A problem of the edge itself: `slug` such as "bad-request",
/// "payload-too-large", "headers-too-large", "method-not-allowed".
problem make_problem(int status, std::string slug, std::string detail);

/// The problem for an error coming back from an actor: a berry_errc keeps its
/// status; anything else (a timeout, a dead actor) answers 503 or 500.
problem make_problem(const caf::error& err);

/// The `type` URI of a slug: https://berry.example/problems/<slug>.
std::string problem_type(std::string_view slug);

/// The problem+json body; `request_id` is added when not empty.
std::string render_problem(const problem& p, std::string_view request_id = {});

/// A complete problem+json response.
response problem_response(const problem& p, std::string_view request_id = {});

/// The "validation" problem (berry_errc::validation) saying `detail`.
inline problem invalid(std::string detail) {
  return make_problem(berry_errc::validation, std::move(detail));
}

/// Answers `req` with the problem `p`.
inline void fail(const request& req, const responder& respond,
                 const problem& p) {
  respond(problem_response(p, req.request_id));
}

/// An on_error for ask (http/bridge.hpp) that answers `req` with the
/// problem.
inline auto fail_with(const request& req, const responder& respond) {
  return [respond, rid = req.request_id](const problem& p) {
    respond(problem_response(p, rid));
  };
}

/// The response to an actor's error; a wait in its context (detail,
/// seconds) becomes Retry-After: a 429 over a limit, a 503 while busy.
response error_response(const caf::error& err, std::string_view request_id);

/// Either a value or the problem that prevented it.
template <class T>
class outcome {
public:
  outcome(T value) : v_(std::move(value)) {}
  outcome(problem p) : v_(std::move(p)) {}

  /// True when it holds a value.
  explicit operator bool() const { return v_.index() == 0; }
  T& operator*() { return std::get<0>(v_); }
  const T& operator*() const { return std::get<0>(v_); }
  T* operator->() { return &std::get<0>(v_); }
  const T* operator->() const { return &std::get<0>(v_); }
  /// The problem; only when it holds no value.
  const problem& error() const { return std::get<1>(v_); }

private:
  std::variant<T, problem> v_;
};

} // namespace berry::http
