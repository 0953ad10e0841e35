#pragma once

// The error vocabulary. Actors fail with caf::make_error(berry_errc::x, ...);
// the edge maps each code to one HTTP status and problem type (http/problem).

#include <cstdint>
#include <string>

#include <caf/atom.hpp>
#include <caf/error.hpp>
#include <caf/make_message.hpp>
#include <caf/message.hpp>

namespace berry {

/// Every way a Berry operation can fail, as seen by a caller.
enum class berry_errc : uint8_t {
  none = 0,
  not_found,
  validation,
  conflict,
  out_of_stock,
  payment_declined,
  idempotency_key_reuse,
  idempotency_key_in_use,
  unauthorized,
  forbidden,
  rate_limited,
  unavailable,
  timeout,
  storage_failure,
  internal,
  /// A write for a shard this node no longer owns: another node took it
  /// over (a higher fence epoch). The edge answers 503, as for unavailable.
  shard_moved,
};

/// The stable slug of an error code: the last part of a problem `type`.
const char* to_slug(berry_errc x);

/// True when `err` is the berry error `code` (whatever its context says).
inline bool is_error(const caf::error& err, berry_errc code) {
  return err.category() == caf::atom("berry") &&
         err.code() == static_cast<uint8_t>(code);
}

/// Renders a berry error for CAF's logs and to_string.
std::string render_berry_error(uint8_t code, const caf::message& context);

} // namespace berry

CAF_ERROR_CODE_ENUM(berry::berry_errc, "berry")
