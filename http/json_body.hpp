#pragma once

// Reading JSON request bodies: unparsable text is a 400 "bad-request"
// problem, so every route that takes JSON answers it the same way.

#include <cstddef>
#include <string_view>

#include <nlohmann/json.hpp>

#include "http/message.hpp"
#include "http/problem.hpp"

namespace berry::http {

/// The body of `req` as a JSON object. Empty, unparsable or non-object
/// bodies (and invalid UTF-8) give a 400 "bad-request" problem.
outcome<nlohmann::json> parse_json_body(const request& req);

/// The code points of `s`, valid UTF-8 (parse_json_body has checked it).
inline size_t utf8_chars(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s)
    n += (c & 0xC0) != 0x80;
  return n;
}

} // namespace berry::http
