#pragma once

// The head of an answer as the edge writes it: the status line and every
// header field in one string, which the session reuses from one answer to
// the next and sends with the body as a second buffer (no serializer, no
// allocation per field). The fields are those Beast's serializer wrote
// before, in the same order: Server, Content-Type, the handler's fields
// with the security headers, Content-Length, X-Request-Id, Connection.

#include <string>
#include <string_view>

#include "http/message.hpp"

namespace berry::http {

/// What the session knows of the request an answer is for.
struct head_context {
  unsigned version = 11;       ///< the request's HTTP version (10 or 11)
  bool head = false;           ///< a HEAD request: the length, not the body
  bool keep_alive = true;      ///< the connection stays open after it
  bool private_answer = false; ///< never stored: Cache-Control: no-store
  std::string_view request_id;
  std::string_view csp; ///< the Content-Security-Policy of every answer
};

/// True when the answer to `res` carries its body: not for a HEAD request,
/// nor for a 1xx, 204 or 304 (which have no body and no length at all).
bool sends_body(const response& res, bool head);

/// Writes the status line and header fields of `res`, ending with the empty
/// line, into `out` (cleared first; its capacity is kept). The handler's
/// fields have unique names (response::set keeps them so); X-Content-Type-
/// Options, Content-Security-Policy, X-Frame-Options and Referrer-Policy,
/// and Cache-Control of a private answer, take the edge's values. A
/// handler's Connection field gets close or keep-alive as the connection
/// does (as Beast's keep_alive() did).
void write_head(const response& res, const head_context& cx, std::string& out);

} // namespace berry::http
