// Query strings as they arrive after the '?': parse_query, the listings'
// parsers (GET /api/v1/products and /orders, which share read_paging) and
// percent_decode in both modes. Whatever the bytes, each answers a value
// or a 4xx problem whose body is valid JSON (a bad key is named in it);
// what decodes is valid UTF-8, and what the listings pass on is in range:
// page >= 1, page_size 1..100, prices >= 0 with min <= max.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "http/query.hpp"
#include "http/routes_orders.hpp"
#include "tests/fuzz/fuzz_check.hpp"

using namespace berry;
using namespace berry::http;
using fuzz::expect;

namespace {

void check_decode(std::string_view text) {
  for (bool plus : {false, true}) {
    auto out = percent_decode(text, plus);
    if (!out)
      continue;
    expect(valid_utf8(*out), "a decoded text is UTF-8");
    expect(out->size() <= text.size(), "decoding never grows a text");
    if (plus)
      expect(out->find('+') == std::string::npos ||
                 text.find("%2") != std::string_view::npos,
             "a '+' only comes from an escape");
  }
}

void check_pairs(std::string_view query) {
  auto pairs = parse_query(query);
  if (!fuzz::accepted(pairs))
    return;
  for (auto& [k, v] : *pairs)
    expect(valid_utf8(k) && valid_utf8(v), "query pairs are UTF-8");
}

void check_products(std::string_view query) {
  auto q = parse_products_query(query);
  if (!fuzz::accepted(q))
    return;
  expect(q->page >= 1, "page >= 1");
  expect(q->page_size >= 1 && q->page_size <= 100, "page_size 1..100");
  expect(!q->min_price || *q->min_price >= 0, "min_price >= 0");
  expect(!q->max_price || *q->max_price >= 0, "max_price >= 0");
  if (q->min_price && q->max_price)
    expect(*q->min_price <= *q->max_price, "min_price <= max_price");
  expect(valid_utf8(q->q) && valid_utf8(q->category), "q and category UTF-8");
  // The offset the search computes must not overflow.
  expect(q->page - 1 <= INT64_MAX / q->page_size, "the page's offset fits");
}

void check_orders(std::string_view query) {
  auto q = parse_orders_query(query);
  if (fuzz::accepted(q))
    expect(q->page >= 1 && q->page_size >= 1 && q->page_size <= 100,
           "an order page >= 1 of 1..100");
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view query{reinterpret_cast<const char*>(data), size};
  check_decode(query);
  check_pairs(query);
  check_products(query);
  check_orders(query);
  return 0;
}
