#pragma once

// Conversions between Beast's messages and the edge's own request and
// response, so handlers never see Beast.

#include "http/beast.hpp"
#include "http/message.hpp"

namespace berry::http {

/// The Beast request type the sessions read.
using beast_request = bhttp::request<bhttp::string_body>;

/// The Beast response type the sessions write.
using beast_response = bhttp::response<bhttp::string_body>;

/// The edge's view of `msg` (whose body it takes), with its request id.
request to_request(beast_request&& msg);

/// Every X-Forwarded-For line of `msg`, joined as one comma-separated list.
std::string forwarded_for(const beast_request& msg);

/// Fills `out` from `res`: status, Server, Content-Type, the handler's
/// headers, and the body with its length. For a HEAD request (`head`) only
/// the length of the body is sent; a 1xx, 204 or 304 has no body at all.
void to_beast(response&& res, bool head, beast_response& out);

} // namespace berry::http
