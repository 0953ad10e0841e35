#pragma once

// Percent-decoding, query strings, and the query of GET /api/v1/products.
// Pure functions: bad input becomes a 400 "validation" problem naming the
// parameter.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "http/problem.hpp"

namespace berry::http {

/// Decodes %XX escapes (and '+' as a space when `plus_is_space`, as in query
/// strings). Empty when an escape is malformed or the result is not valid
/// UTF-8.
std::optional<std::string> percent_decode(std::string_view s,
                                          bool plus_is_space = false);

/// True when `s` is well-formed UTF-8 (no overlongs, surrogates or values
/// past U+10FFFF).
bool valid_utf8(std::string_view s);

/// The decoded `key=value` pairs of a query string, in order. A key without
/// '=' has an empty value. Fails with a validation problem naming the key
/// whose text does not decode.
outcome<std::vector<std::pair<std::string, std::string>>>
parse_query(std::string_view query);

/// A decimal integer in [lo, hi] (digits only: no sign, no spaces), or
/// nothing.
std::optional<int64_t> query_int(const std::string& s, int64_t lo, int64_t hi);

/// A listing parameter that did not parse: its name and why.
struct param_error {
  std::string param;
  std::string why;
};

/// Reads a listing's `page` (>= 1) and `page_size` (1..100) from their query
/// texts into `page` and `page_size`; an empty text leaves its field alone.
/// The first bad one, or nothing.
std::optional<param_error> read_paging(const std::string& page_text,
                                       const std::string& page_size_text,
                                       int64_t& page, int64_t& page_size);

/// How a product listing is ordered.
enum class sort_order {
  relevance,
  price_asc,
  price_desc,
  newest,
  title,
  popular
};

/// The parameters of GET /api/v1/products. Empty parameters count as absent.
struct products_query {
  std::string q;        ///< trimmed full-text query; empty for none
  std::string category; ///< a category id (its subtree matches); or empty
  std::optional<int64_t> min_price; ///< kopecks, inclusive
  std::optional<int64_t> max_price; ///< kopecks, inclusive
  int64_t page = 1;                 ///< 1-based
  int64_t page_size = 20;           ///< 1..100
  sort_order sort = sort_order::relevance;
};

/// Parses the query string of GET /api/v1/products; unknown keys are
/// ignored and the first of repeated keys wins.
outcome<products_query> parse_products_query(std::string_view query);

} // namespace berry::http
