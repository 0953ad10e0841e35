#pragma once

// Conversions from Beast's request to the edge's own, so handlers never see
// Beast (answers are written by http/response_head.hpp).

#include "http/beast.hpp"
#include "http/message.hpp"

namespace berry::http {

/// The Beast request type the sessions read.
using beast_request = bhttp::request<bhttp::string_body>;

/// The edge's view of `msg` (whose body it takes), with its request id.
request to_request(beast_request&& msg);

/// Every X-Forwarded-For line of `msg`, joined as one comma-separated list.
std::string forwarded_for(const beast_request& msg);

} // namespace berry::http
