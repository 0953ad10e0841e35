// The body of POST /api/v1/checkout, through the same steps as the
// handler: parse_json_body, parse_checkout, the delivery zone and the
// request hash of the idempotency key. Whatever the bytes, each step
// answers a value or a 4xx problem (never throws: a throw is a 500), and
// a checkout that passes holds what the order saga counts on: lines of
// 1..99 units with a product id, a point on the globe, an address text of
// at most 500 bytes and a token of the shape tok_...

#include <cmath>
#include <cstddef>
#include <cstdint>

#include "http/etag.hpp"
#include "http/routes_orders.hpp"
#include "tests/fuzz/fuzz_check.hpp"

using namespace berry;
using namespace berry::http;
using fuzz::expect;

namespace {

void expect_decoded(const checkout_request& c) {
  for (auto& line : c.lines) {
    expect(line.qty >= 1 && line.qty <= 99, "a line of 1..99 units");
    expect(valid_utf8(line.product_id), "a product id is UTF-8");
  }
  auto& at = c.address.location;
  expect(std::isfinite(at.lat) && std::abs(at.lat) <= 90, "lat in -90..90");
  expect(std::isfinite(at.lon) && std::abs(at.lon) <= 180, "lon in -180..180");
  expect(c.address.text.size() <= 500, "an address text of <= 500 bytes");
  expect(c.payment_token.rfind("tok_", 0) == 0 && c.payment_token.size() <= 64,
         "a payment token of the shape tok_...");
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto body = fuzz::json_body(data, size);
  if (!body)
    return 0;
  auto checkout = parse_checkout(*body);
  if (!fuzz::accepted(checkout))
    return 0;
  expect_decoded(*checkout);
  if (auto far = delivery_address_problem(checkout->address))
    fuzz::expect_client_error(*far);
  // The same key with the same body is the same request: the hash of the
  // body as the handler takes it.
  expect(!make_etag(body->dump()).empty(), "a checkout body has a hash");
  return 0;
}
