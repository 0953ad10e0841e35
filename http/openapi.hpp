#pragma once

// The OpenAPI 3 description of Berry's API (http/openapi.json, compiled in).

#include <string_view>

namespace berry::http {

/// The document's text, as kept in the repository.
std::string_view openapi_json();

} // namespace berry::http
