#pragma once

// What the fuzz targets check beside ASan and UBSan: the properties a
// client relies on whatever it sends. A failed check aborts, so libFuzzer
// saves the input as a crash artefact.

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "http/json_body.hpp"
#include "http/message.hpp"
#include "http/problem.hpp"
#include "http/query.hpp"

namespace berry::fuzz {

/// Aborts with `what` on stderr unless `ok`.
inline void expect(bool ok, const char* what) {
  if (ok)
    return;
  std::fprintf(stderr, "fuzz check failed: %s\n", what);
  std::abort();
}

/// Aborts unless `text` is one valid UTF-8 JSON value.
inline void expect_json(std::string_view text, const char* what) {
  expect(http::valid_utf8(text), what);
  expect(!nlohmann::json::parse(text, nullptr, false).is_discarded(), what);
}

/// A refusal the way a client gets it: a 4xx problem+json body that parses.
inline void expect_client_error(const http::problem& p) {
  expect(p.status >= 400 && p.status < 500, "a bad body is a 4xx");
  expect_json(http::render_problem(p, "fuzz"), "the problem renders as JSON");
}

/// True when `x` holds a value; otherwise checks that its problem is a 4xx
/// a client can read, and is false.
template <class T>
bool accepted(const http::outcome<T>& x) {
  if (!x)
    expect_client_error(x.error());
  return static_cast<bool>(x);
}

/// A request whose body is the fuzzer's input, as a handler sees it.
inline http::request body_request(const uint8_t* data, size_t size) {
  http::request req;
  req.method = "POST";
  req.body.assign(reinterpret_cast<const char*>(data), size);
  req.request_id = "fuzz";
  req.client = "127.0.0.1";
  return req;
}

/// The input as parse_json_body reads a request body: a JSON object, or
/// nothing once its refusal is checked.
inline std::optional<nlohmann::json> json_body(const uint8_t* data,
                                               size_t size) {
  auto body = http::parse_json_body(body_request(data, size));
  if (!accepted(body))
    return std::nullopt;
  expect(body->is_object(), "a decoded body is an object");
  return std::move(*body);
}

/// Code points of `s` (valid UTF-8).
inline size_t utf8_chars(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s)
    n += (c & 0xC0) != 0x80;
  return n;
}

} // namespace berry::fuzz
