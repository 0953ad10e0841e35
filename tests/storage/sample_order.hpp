#pragma once

// An order as the storage tests use it: user u-1, two of product p-1 at
// 1,990 ₽, pending since t = 1000 ms.

#include <string>
#include <utility>

#include "protocols/commerce.hpp"

namespace berry::test {

/// A pending order `id` of user u-1 with idempotency key `key`.
inline order_record pending_order(std::string id = "o-1",
                                  std::string key = "k1") {
  order_record x;
  x.id = std::move(id);
  x.user_id = "u-1";
  x.status = order_status::pending;
  x.lines = {{"p-1", 2, 199000, ""}};
  x.total = 398000;
  x.address = {{55.75, 37.61}, "Тверская, 1"};
  x.payment_token = "tok_ok";
  x.idempotency_key = std::move(key);
  x.request_hash = "h1";
  x.created_at_ms = 1000;
  x.history = {{order_status::pending, 1000}};
  return x;
}

} // namespace berry::test
