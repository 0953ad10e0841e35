#pragma once

// The built-in payment provider. It behaves like a remote one: every answer
// comes after some latency, the test tokens of API.md decide the outcome,
// and it is idempotent by key on its own side. Its books (table
// provider_payments) are written through the journal before it answers.

#include <chrono>
#include <functional>
#include <string>
#include <unordered_map>
#include <vector>

#include "protocols/commerce.hpp"
#include "protocols/errors.hpp"
#include "protocols/interfaces.hpp"
#include "protocols/journal_commands.hpp"

namespace caf {
class actor_system;
}

namespace berry {

/// What the provider does with a request, given its books.
enum class provider_step {
  refuse, ///< answer the error `why`
  replay, ///< answer the stored result again
  join,   ///< the key is processing: wait for the same answer
  defer,  ///< a refund whose charge is processing: plan again after it
  start,  ///< a new try for the key
};

/// The provider's decision about one request.
struct provider_plan {
  provider_step step = provider_step::refuse;
  berry_errc why = berry_errc::none;
  std::string detail;
};

/// The provider's books: settled rows and the tries still processing. Pure
/// methods, tested without actors.
struct provider_books {
  using row = provider_payment;
  std::unordered_map<std::string, row> settled;
  /// Decided and being written or waiting out their latency: not answered.
  std::unordered_map<std::string, row> processing;

  /// What to do with a charge.
  provider_plan plan_charge(const payment_request& req) const;
  /// What to do with a refund (`req.order_id` names the charge).
  provider_plan plan_refund(const payment_request& req) const;
  /// The outcome of a new try of a charge: by token, counting the tries
  /// before it (tok_flaky fails twice). Keeps the payment_id of a key seen
  /// before, else takes `new_id`.
  row decide_charge(const payment_request& req, const std::string& new_id,
                    int64_t now_ms) const;
  /// The refund of the order's captured charge (plan_refund said start).
  row decide_refund(const payment_request& req, const std::string& new_id,
                    int64_t now_ms) const;
  /// What the provider knows of `key`.
  payment_result status(const std::string& key) const;
  /// Moves a processing key to the settled rows.
  void settle(const std::string& key);
  /// The captured charge of `order_id`, or nullptr.
  const row* captured_charge(const std::string& order_id) const;
  /// True while a charge of `order_id` is processing.
  bool charging(const std::string& order_id) const;
  /// True while any row of `order_id` is processing.
  bool busy(const std::string& order_id) const;
  /// Takes a stored row back into the settled ones, unless its key is known.
  void remember(const row& r);
  /// Lets the settled rows of `order_id` leave memory (storage keeps them).
  void forget_order(const std::string& order_id);
};

/// The answer a settled row gives (status failed is not an answer but a
/// provider error; see is_provider_error).
payment_result to_result(const provider_payment& row);

/// True when a row records a provider error rather than an outcome.
bool is_provider_error(const provider_payment& row);

/// The stored rows of an order, and the row of a key (either may be empty).
using provider_finder = std::function<std::vector<provider_payment>(
    const std::string& order_id, const std::string& key)>;

/// A finder over the provider's table in the database at `db_path`, on its
/// own read-only connection, opened on first use.
provider_finder sqlite_provider_finder(std::string db_path);

/// How the provider starts.
struct provider_init {
  journal_actor journal;
  /// Reads its books at start (e.g. load_provider_payments on the database).
  std::function<std::vector<provider_payment>()> load;
  /// Optional: finds stored rows. With it, the books keep only what is in
  /// flight: a settled row leaves memory once answered, and comes back from
  /// storage when a request names its key or its order again.
  provider_finder find;
  /// The delay of every answer.
  std::chrono::milliseconds latency{20};
  /// The delay of a tok_slow charge's answer.
  std::chrono::milliseconds slow_latency{2000};
  /// Test hook: true makes the provider act on the request (and record it)
  /// but never answer it, like a reply lost on the way back.
  std::function<bool(const payment_request&)> drop_reply;
};

/// Spawns the provider; it loads its books before its first message.
provider_actor spawn_provider(caf::actor_system& sys, provider_init init);

} // namespace berry
