#pragma once

// Stock, reservations and what each warehouse did for each order: the reads
// a warehouse starts from, and how its journal commands are stored. Stock
// changes are written as deltas (units added to on-hand and reserved), so a
// batch the journal refuses leaves no trace, and the rows always equal the sum
// of the changes that were acknowledged.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "protocols/commerce.hpp"
#include "protocols/journal_commands.hpp"
#include "protocols/types.hpp"
#include "storage/database.hpp"

namespace berry::storage {

/// The SQL run by the stock repository.
namespace sql {

/// Args: warehouse_id, product_id. Makes the row exist (0 on hand).
inline constexpr const char* ensure_stock_row =
    "INSERT INTO stock (warehouse_id, product_id, on_hand, reserved)"
    " VALUES (?1, ?2, 0, 0) ON CONFLICT (warehouse_id, product_id) DO NOTHING";

/// Args: warehouse_id, product_id, on_hand delta, reserved delta, sold
/// delta.
inline constexpr const char* add_stock =
    "UPDATE stock SET on_hand = on_hand + ?3, reserved = reserved + ?4,"
    " sold = sold + ?5 WHERE warehouse_id = ?1 AND product_id = ?2";

/// Args: order_id, warehouse_id, product_id, qty, expires_at (Unix ms).
inline constexpr const char* put_reservation =
    "INSERT INTO reservations"
    " (order_id, warehouse_id, product_id, qty, expires_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5)"
    " ON CONFLICT (order_id, warehouse_id, product_id) DO UPDATE SET"
    " qty = excluded.qty, expires_at = excluded.expires_at";

/// Args: order_id, warehouse_id.
inline constexpr const char* delete_reservations =
    "DELETE FROM reservations WHERE order_id = ?1 AND warehouse_id = ?2";

/// Args: order_id, warehouse_id, state, updated_at (Unix ms), attempt.
inline constexpr const char* put_warehouse_order =
    "INSERT INTO warehouse_orders"
    " (order_id, warehouse_id, state, updated_at, attempt)"
    " VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (order_id, warehouse_id)"
    " DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at,"
    " attempt = excluded.attempt";

/// Args: warehouse_id.
inline constexpr const char* select_reservations =
    "SELECT order_id, product_id, qty, expires_at FROM reservations"
    " WHERE warehouse_id = ?1 ORDER BY order_id, product_id";

/// Args: warehouse_id. The lines of the holds still reserved, with the
/// attempt each was reserved for, found through the partial index
/// warehouse_orders_live (migration 3), so a start reads what is live, not
/// every order the warehouse ever served. CROSS JOIN keeps SQLite from
/// starting at reservations, which keeps committed lines too.
inline constexpr const char* select_live_reservations =
    "SELECT r.order_id, r.product_id, r.qty, r.expires_at, o.attempt"
    " FROM warehouse_orders o CROSS JOIN reservations r"
    " ON r.order_id = o.order_id AND r.warehouse_id = o.warehouse_id"
    " WHERE o.warehouse_id = ?1 AND o.state = 'reserved'"
    " ORDER BY o.order_id, r.product_id";

/// Args: order_id, warehouse_id. One order's hold and the lines it keeps,
/// by primary keys.
inline constexpr const char* select_warehouse_hold =
    "SELECT o.state, r.product_id, r.qty, r.expires_at, o.attempt"
    " FROM warehouse_orders o LEFT JOIN reservations r"
    " ON r.order_id = o.order_id AND r.warehouse_id = o.warehouse_id"
    " WHERE o.order_id = ?1 AND o.warehouse_id = ?2 ORDER BY r.product_id";

/// Args: warehouse_id.
inline constexpr const char* select_warehouse_orders =
    "SELECT order_id, state, updated_at FROM warehouse_orders"
    " WHERE warehouse_id = ?1 ORDER BY order_id";

} // namespace sql

/// What one warehouse did for one order, as stored.
struct warehouse_order_row {
  std::string order_id;
  hold_state state = hold_state::none;
  int64_t updated_at_ms = 0;
};

/// The reservation lines of one warehouse, one reservation per order
/// (lines carry product_id and qty), ordered by order id. Committed orders
/// keep their lines here, so a later restock knows the quantities.
std::vector<reservation> load_reservations(database& db,
                                           const std::string& warehouse_id);

/// What one warehouse did for one order, with the lines it keeps.
struct warehouse_hold_row {
  hold_state state = hold_state::none;
  /// The lines (reserved and committed holds) and when they lapse.
  reservation held;
  /// The saga's attempt it was last reserved or released for.
  int64_t attempt = 0;
};

/// The holds of one warehouse still reserved, ordered by order id, each with
/// its lines as load_reservations gives them and the attempt it was reserved
/// for; committed orders are left out.
std::vector<warehouse_hold_row>
load_live_reservations(database& db, const std::string& warehouse_id);

/// What warehouse `warehouse_id` did for `order_id`, if anything, read
/// through `db`'s prepared statements (two primary-key lookups).
std::optional<warehouse_hold_row>
find_warehouse_hold(statement_cache& db, const std::string& order_id,
                    const std::string& warehouse_id);

/// What one warehouse did for every order it has seen, ordered by order id.
std::vector<warehouse_order_row>
load_warehouse_orders(database& db, const std::string& warehouse_id);

/// Makes the stock row of a product exist, with nothing on hand.
db_statement ensure_stock_row(const std::string& warehouse_id,
                              const std::string& product_id);

/// Adds `delta.on_hand` and `delta.reserved` (either may be negative) to the
/// stock row of `delta.product_id` in `delta.warehouse_id`.
db_statement add_stock(const stock_level& delta, int64_t sold = 0);

/// Stores one line of a reservation.
db_statement put_reservation(const std::string& order_id,
                             const std::string& warehouse_id,
                             const std::string& product_id, int64_t qty,
                             int64_t expires_at_ms);

/// Deletes every reservation line of an order in one warehouse.
db_statement delete_reservations(const std::string& order_id,
                                 const std::string& warehouse_id);

/// Records what a warehouse did for an order, for the saga's `attempt`.
db_statement put_warehouse_order(const std::string& order_id,
                                 const std::string& warehouse_id,
                                 hold_state state, int64_t updated_at_ms,
                                 int64_t attempt = 0);

/// A stock delta: the row made when missing, then the delta added.
std::vector<db_statement> statements_for(const stock_changed& x);

/// A warehouse's hold of an order: its reservation lines (replaced when
/// reserved, kept when committed, dropped otherwise) and its state.
std::vector<db_statement> statements_for(const hold_changed& x);

} // namespace berry::storage
