#pragma once

// Inside the payment provider actor (actors/payment_provider.hpp): what it
// keeps, and the life of a try. actors/payment_provider.cpp has the
// behaviour and plans each request; actors/payment_provider_tries.cpp
// records a try through the journal, answers after the latency, and lets
// the refunds that waited for a charge go on. Included by those two only.

#include <cstdint>
#include <memory>
#include <random>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include <caf/error.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>
#include <caf/typed_response_promise.hpp>

#include "actors/clock.hpp"
#include "actors/payment_provider.hpp"

namespace berry::provider_impl {

using row = provider_payment;

using promise = caf::typed_response_promise<payment_result>;

/// Where an answer goes; a dropped one (the lost-reply hook) goes nowhere.
struct reply_to {
  promise rp;
  bool dropped = false;
};

/// An answer waiting out the latency, or a processing key to settle.
struct queued_answer {
  std::string settle_key;
  reply_to to;
  payment_result value;
  caf::error err;
};

struct provider_state {
  provider_books books;
  /// The requests waiting for each processing key.
  std::unordered_map<std::string, std::vector<reply_to>> waiting;
  /// Refunds waiting for their order's charge, by order.
  std::unordered_map<std::string,
                     std::vector<std::pair<payment_request, reply_to>>>
      deferred;
  /// Answers due after the latency, by ticket.
  std::unordered_map<std::string, queued_answer> outbox;
  /// Requests whose books could not be read (storage away), by ticket:
  /// tried again after a pause, never answered by a guess.
  std::unordered_map<std::string, std::pair<payment_request, reply_to>> rereads;
  uint64_t tickets = 0;
  provider_init cfg;
  std::unique_ptr<wall_clock> clock;
  std::mt19937_64 rng{std::random_device{}()};
  static inline const char* name = "payment_provider";
};

using provider_self = provider_actor::stateful_pointer<provider_state>;

/// Answers `to` (unless its reply is dropped) with `err`, or else `value`.
void deliver(reply_to& to, const payment_result& value, const caf::error& err);

/// Answers `to` with `value` after the latency.
void answer_later(provider_self self, reply_to to, payment_result value);

/// Fails `to` with `err` after the latency.
void fail_later(provider_self self, reply_to to, caf::error err);

/// The key's answer is due: it settles and every waiting request hears it.
void settle(provider_self self, const std::string& key);

/// Records the decided try through the journal, then waits out the latency
/// before it answers.
void start(provider_self self, row r, reply_to to);

/// With a finder, what is settled leaves memory once nothing of its order
/// is in flight: the books hold what is under way, not the history.
void tidy(provider_self self, const std::string& order_id);

/// Plans a refund and acts on the plan.
void run_refund(provider_self self, const payment_request& req, reply_to to);

} // namespace berry::provider_impl
