#include "protocols/errors.hpp"

#include <caf/deep_to_string.hpp>
#include <caf/message.hpp>

namespace berry {

const char* to_slug(berry_errc x) {
  switch (x) {
  case berry_errc::none:
    return "none";
  case berry_errc::not_found:
    return "not-found";
  case berry_errc::validation:
    return "validation";
  case berry_errc::conflict:
    return "conflict";
  case berry_errc::out_of_stock:
    return "out-of-stock";
  case berry_errc::payment_declined:
    return "payment-declined";
  case berry_errc::idempotency_key_reuse:
    return "idempotency-key-reuse";
  case berry_errc::idempotency_key_in_use:
    return "idempotency-key-in-use";
  case berry_errc::unauthorized:
    return "unauthorized";
  case berry_errc::forbidden:
    return "forbidden";
  case berry_errc::rate_limited:
    return "rate-limited";
  case berry_errc::unavailable:
    return "unavailable";
  case berry_errc::timeout:
    return "timeout";
  case berry_errc::storage_failure:
    return "storage-failure";
  case berry_errc::internal:
    return "internal";
  case berry_errc::shard_moved: // to a client: the shard is moving
    return "unavailable";
  }
  return "internal";
}

std::string render_berry_error(uint8_t code, const caf::message& context) {
  std::string out = "berry:";
  out += to_slug(static_cast<berry_errc>(code));
  if (!context.empty()) {
    out += ' ';
    out += caf::deep_to_string(context);
  }
  return out;
}

} // namespace berry
