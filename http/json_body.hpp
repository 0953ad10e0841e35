#pragma once

// Reading JSON request bodies: unparsable text is a 400 "bad-request"
// problem, so every route that takes JSON answers it the same way.

#include <nlohmann/json.hpp>

#include "http/message.hpp"
#include "http/problem.hpp"

namespace berry::http {

/// The body of `req` as a JSON object. Empty, unparsable or non-object
/// bodies (and invalid UTF-8) give a 400 "bad-request" problem.
outcome<nlohmann::json> parse_json_body(const request& req);

} // namespace berry::http
