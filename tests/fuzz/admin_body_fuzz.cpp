// The admin's bodies: POST /api/v1/products and PATCH /api/v1/products/{id}
// (apply_product_body) and PUT /api/v1/warehouses/{wid}/stock/{product_id}
// (parse_on_hand), through parse_json_body as their handlers read them.
// Whatever the bytes, each answers a value or a 4xx problem (never throws:
// a throw is a 500), and what passes is what the catalog and the
// warehouses take: a title of 1..200 characters, a known category, a price
// of 0..2^50 kopecks (far from an overflow when summed), on_hand 0..10^7.

#include <cstddef>
#include <cstdint>
#include <vector>

#include "http/routes_admin.hpp"
#include "tests/fuzz/fuzz_check.hpp"

using namespace berry;
using namespace berry::http;
using fuzz::expect;

namespace {

const std::vector<category>& categories() {
  static const std::vector<category> xs{
      {"c-clothes", "Одежда", "", 1},
      {"c-dresses", "Платья", "c-clothes", 2},
      {"c-kitchen", "Кухня", "", 3},
  };
  return xs;
}

/// A product as the catalog holds it, which a PATCH starts from.
product stored() {
  product p;
  p.id = "p-000001";
  p.title = "Платье летнее";
  p.description = "Хлопок";
  p.category_id = "c-dresses";
  p.price = 199900;
  return p;
}

void expect_product(const product& p) {
  auto chars = fuzz::utf8_chars(p.title);
  expect(chars >= 1 && chars <= 200, "a title of 1..200 characters");
  expect(valid_utf8(p.title) && valid_utf8(p.description),
         "title and description are UTF-8");
  bool known = false;
  for (auto& c : categories())
    known = known || c.id == p.category_id;
  expect(known, "a product's category is a known one");
  expect(p.price >= 0 && p.price <= (int64_t{1} << 50),
         "a price of 0..2^50 kopecks");
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto body = fuzz::json_body(data, size);
  if (!body)
    return 0;
  for (bool create : {true, false}) {
    auto p = apply_product_body(*body, create ? product{} : stored(), create,
                                categories());
    if (fuzz::accepted(p))
      expect_product(*p);
  }
  auto n = parse_on_hand(*body);
  if (fuzz::accepted(n))
    expect(*n >= 0 && *n <= 10'000'000, "on_hand of 0..10,000,000");
  return 0;
}
