#pragma once

// The built-in payment provider's books (table provider_payments): how the
// journal stores the provider's commands, and the read that rebuilds the
// provider at start. All SQL is in the named constants of `sql`.

#include <cstdint>
#include <string>
#include <vector>

#include "protocols/journal_commands.hpp"
#include "storage/database.hpp"

namespace berry::storage {

/// One row of provider_payments: a charge or a refund, by idempotency key.
using provider_payment = berry::provider_payment;

/// The SQL run by the payment repository.
namespace sql {

inline constexpr const char* select_provider_payments =
    "SELECT key, payment_id, order_id, kind, amount, token, status, attempts,"
    " created_at FROM provider_payments ORDER BY created_at, key";

/// Args: order_id, key. The rows of an order, and the row of a key.
inline constexpr const char* select_provider_payments_of =
    "SELECT key, payment_id, order_id, kind, amount, token, status, attempts,"
    " created_at FROM provider_payments WHERE order_id = ?1 OR key = ?2";

/// Args: key, payment_id, order_id, kind, amount, token, status, attempts,
/// created_at. A second write of a key replaces its outcome, never its
/// identity (payment_id, order, kind, amount stay as first written).
inline constexpr const char* upsert_provider_payment =
    "INSERT INTO provider_payments (key, payment_id, order_id, kind, amount,"
    " token, status, attempts, created_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"
    " ON CONFLICT (key) DO UPDATE SET status = excluded.status,"
    " attempts = excluded.attempts";

/// Args: key, status. One more try for a key, and its outcome.
inline constexpr const char* bump_provider_attempts =
    "UPDATE provider_payments SET attempts = attempts + 1, status = ?2"
    " WHERE key = ?1";

} // namespace sql

/// Writes `x` (insert, or a new outcome for a known key).
db_statement upsert_provider_payment(const provider_payment& x);

/// Counts one more try for `key` and records its outcome `status`.
db_statement bump_provider_attempts(const std::string& key,
                                    payment_status status);

/// The provider's books moving: a first try (or a new outcome) of a key.
std::vector<db_statement> statements_for(const payment_recorded& x);

/// One more try of a known key.
std::vector<db_statement> statements_for(const payment_retried& x);

/// Every row of provider_payments, oldest first.
std::vector<provider_payment> load_provider_payments(database& db);

/// The rows of `order_id` and the row of `key` (either may be empty).
std::vector<provider_payment>
find_provider_payments(statement_cache& db, const std::string& order_id,
                       const std::string& key);

} // namespace berry::storage
