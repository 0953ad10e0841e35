#pragma once

// Berry's payment actor, in front of the payment provider. It retries a
// provider error with the same key after a backoff, and when an answer does
// not come in time it never guesses: it asks the provider for the status of
// the key and acts on what the provider knows.

#include <chrono>
#include <string>

#include "protocols/commerce.hpp"
#include "protocols/interfaces.hpp"

namespace caf {
class actor_system;
}

namespace berry {

/// How the payment actor talks to the provider.
struct payment_init {
  provider_actor provider;
  /// How long one request to the provider may take before the actor asks
  /// for the key's status (longer than tok_slow's 2 s).
  std::chrono::milliseconds step_timeout{5000};
  /// The pause before the first retry after a provider error; it doubles.
  std::chrono::milliseconds backoff{50};
  /// Charges (or refunds) sent for one request, first one included.
  int max_attempts = 5;
  /// The pause before asking again about a key still processing.
  std::chrono::milliseconds poll_delay{200};
  /// Status questions for one request before it gives up (timeout).
  int max_polls = 100;
};

/// What the payment actor does next about a key, given the provider's
/// status of it.
enum class payment_move {
  answer,  ///< captured or refunded: that is the answer
  decline, ///< declined: answer payment_declined
  poll,    ///< processing (or no status): ask again after a pause
  resend,  ///< unknown: the request never took effect; send it again
};

/// The move for a status; pure, tested without actors.
payment_move after_status(payment_status status);

/// The pause before try number `attempt` (2, 3, ...) after provider
/// errors: backoff, 2 x backoff, 4 x backoff ...
std::chrono::milliseconds backoff_before(int attempt,
                                         std::chrono::milliseconds backoff);

/// Spawns the payment actor. charge answers a captured payment_result, or
/// fails with payment_declined ("card declined"), unavailable (the provider
/// kept failing), timeout (still processing after max_polls), or what the
/// provider refused (conflict, validation). refund answers refunded, or
/// conflict when there is no captured charge. A refund waits for a charge
/// of the same order that this actor is still working on.
payment_actor spawn_payment(caf::actor_system& sys, payment_init init);

} // namespace berry
