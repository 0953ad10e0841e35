#pragma once

// Carts in SQLite: one row per (customer, product) in cart_lines. The cart
// actors write through the journal with cart commands, stored as built here;
// the cart manager reads a cart back when it rebuilds a passivated cart.

#include <cstdint>
#include <string>
#include <vector>

#include "protocols/commerce.hpp"
#include "protocols/journal_commands.hpp"
#include "storage/database.hpp"

namespace berry::storage {

/// The SQL run by the cart repository.
namespace sql {

/// Args: user_id.
inline constexpr const char* select_cart =
    "SELECT product_id, qty FROM cart_lines WHERE user_id = ?1"
    " ORDER BY product_id";

/// Args: user_id, product_id, qty (1..99: the table checks it).
inline constexpr const char* upsert_cart_line =
    "INSERT INTO cart_lines (user_id, product_id, qty) VALUES (?1, ?2, ?3)"
    " ON CONFLICT (user_id, product_id) DO UPDATE SET qty = excluded.qty";

/// Args: user_id, product_id.
inline constexpr const char* delete_cart_line =
    "DELETE FROM cart_lines WHERE user_id = ?1 AND product_id = ?2";

/// Args: user_id.
inline constexpr const char* delete_cart =
    "DELETE FROM cart_lines WHERE user_id = ?1";

} // namespace sql

/// The lines of `user_id`'s cart, ordered by product id (empty when none).
std::vector<cart_line> load_cart(database& db, const std::string& user_id);

/// Sets the quantity of one line, adding it when missing. `qty` must be
/// 1..99 (the table refuses anything else; a removal is delete_cart_line).
db_statement put_cart_line(const std::string& user_id,
                           const std::string& product_id, int32_t qty);

/// Removes one line; removing a line that is not there changes nothing.
db_statement delete_cart_line(const std::string& user_id,
                              const std::string& product_id);

/// Removes every line of the cart.
db_statement clear_cart(const std::string& user_id);

/// A line set (put_cart_line), or removed when its qty is 0.
std::vector<db_statement> statements_for(const cart_line_set& x);

/// The whole cart removed.
std::vector<db_statement> statements_for(const cart_cleared& x);

} // namespace berry::storage
