#pragma once

// The edge's own request and response: what a route handler sees and gives
// back. Plain values with no Beast in them, so handlers and their tests stay
// light; the HTTP session converts to and from Beast's messages.

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace berry::http {

/// A header line: name as the client wrote it, and its value.
using header = std::pair<std::string, std::string>;

/// The path parameters of a matched route, e.g. {"id", "p17"}.
using path_params = std::vector<std::pair<std::string, std::string>>;

/// One request as a handler sees it.
struct request {
  std::string method; ///< "GET", "POST", ...
  std::string target; ///< as sent: path and query, still percent-encoded
  std::string path;   ///< the target before '?', still percent-encoded
  std::string query;  ///< the target after '?', without it
  std::vector<header> headers;
  std::string body;
  std::string request_id;
  path_params params; ///< filled by the router
  /// The client's address as the edge sees it (X-Forwarded-For only from a
  /// trusted proxy; an IPv6 client by its /64): the key of its limits.
  std::string client;
  /// The client's whole address (`client` before an IPv6 one is cut to its
  /// /64): who may read /metrics.
  std::string client_ip;
  /// Becomes true when the client closes its connection before its answer
  /// is written; set only on routes that watch their client (route::
  /// watch_client), null on the others.
  std::shared_ptr<const std::atomic<bool>> client_gone;

  /// The first value of header `name` (case-insensitive), or "".
  std::string_view header_value(std::string_view name) const;

  /// The path parameter `name`, or "".
  std::string_view param(std::string_view name) const;
};

/// One response as a handler gives it back. The session adds Server,
/// X-Request-Id and Content-Length; a HEAD request gets the headers only.
struct response {
  int status = 200;
  std::string content_type = "application/json";
  std::vector<header> headers;
  std::string body;

  /// Sets header `name` to `value`, replacing an earlier value.
  void set(std::string_view name, std::string value);

  /// The value of header `name` (case-insensitive), or "".
  std::string_view header_value(std::string_view name) const;
};

/// Completes a request. Call it once, from any thread: the session takes the
/// response back onto its own strand.
using responder = std::function<void(response)>;

/// A responder that hands its response to `deliver` at most once, however
/// often it is called. When every copy is gone uncalled, `deliver` gets
/// `if_dropped`, so the client is never left waiting.
responder make_responder(std::function<void(response)> deliver,
                         response if_dropped);

/// `s` without the spaces and tabs around it (as header values pad).
std::string_view trim_blanks(std::string_view s);

/// True when `a` and `b` are equal ignoring ASCII case.
bool iequals(std::string_view a, std::string_view b);

/// `s` without the spaces and tabs around it (HTTP's optional whitespace).
std::string_view trim_ows(std::string_view s);

/// The client's X-Request-Id when it is 1-64 visible ASCII characters, or a
/// fresh random 16-hex-digit id.
std::string pick_request_id(std::string_view from_client);

/// A 200 JSON response with `body`.
response json_response(std::string body, int status = 200);

} // namespace berry::http
