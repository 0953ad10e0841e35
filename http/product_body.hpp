#pragma once

// The Product document of a catalog entry, written straight into a string:
// byte for byte what dump_json(product_json(e)) makes, without building a
// JSON value first. The edge keeps it for a product once asked for, within
// a budget (http/catalog_cache.hpp), rather than a rendered copy of every
// product (a million products' titles and descriptions held twice would cost
// about 400 MB).

#include <cstdint>
#include <string>
#include <string_view>

#include "actors/catalog_snapshot.hpp"

namespace berry::http {

/// Appends `s` as a JSON string, as dump_json escapes it (invalid UTF-8
/// replaced).
void append_json_string(std::string& out, std::string_view s);

/// Appends `v` as the JSON library writes an integer.
void append_json_int(std::string& out, int64_t v);

/// Appends `v` as the JSON library writes a double (null when not finite).
void append_json_double(std::string& out, double v);

/// Appends the Product document of `e`.
void append_product_json(std::string& out, const catalog_entry& e);

/// The Product document of `e`.
std::string product_body(const catalog_entry& e);

} // namespace berry::http
