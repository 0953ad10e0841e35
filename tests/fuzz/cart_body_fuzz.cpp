// The small bodies of a signed-in user and a dispatcher: PUT
// /api/v1/cart/lines/{product_id} {qty} and PUT /api/v1/couriers/{id}
// {online}, through parse_json_body as their handlers read them. Whatever
// the bytes, each decoder answers a value or a 4xx problem (never throws),
// and a qty that passes is 0..99.

#include <cstddef>
#include <cstdint>

#include "http/routes_admin.hpp"
#include "http/routes_cart.hpp"
#include "tests/fuzz/fuzz_check.hpp"

using namespace berry;
using namespace berry::http;
using fuzz::expect;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto body = fuzz::json_body(data, size);
  if (!body)
    return 0;
  auto qty = parse_cart_qty(*body);
  if (fuzz::accepted(qty))
    expect(*qty >= 0 && *qty <= 99, "a cart qty of 0..99");
  fuzz::accepted(parse_courier_online(*body));
  return 0;
}
