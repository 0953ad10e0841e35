#pragma once

// Orders in SQLite: a current-state table (orders, order_lines) and an
// append-only event table (order_events) whose rows are the order's history.
// Writes are the journal's order commands; reads run on read connections.

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "protocols/commerce.hpp"
#include "protocols/journal_commands.hpp"
#include "storage/database.hpp"

namespace berry::storage {

namespace sql {

/// Args: id, user_id, status, total, lat, lon, address_text, payment_token,
/// payment_id, cancel_reason, idempotency_key, request_hash, from_cart,
/// created_at (also the first updated_at). In SQLite the number is the next
/// of the table: its journal is the only writer.
inline constexpr const char* insert_order =
    "INSERT INTO orders (id, user_id, status, total, lat, lon, address_text,"
    " payment_token, payment_id, cancel_reason, idempotency_key,"
    " request_hash, from_cart, created_at, updated_at, number)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14,"
    " ?14, (SELECT COALESCE(MAX(number), 0) + 1 FROM orders))";

/// insert_order as PostgreSQL runs it (storage/postgres_sql.cpp): the
/// nodes of a cluster write orders at once, so the number comes from a
/// sequence (migration 8). Numbers stay unique and rising, and may skip one
/// that a refused batch took.
inline constexpr const char* insert_order_postgres =
    "INSERT INTO orders (id, user_id, status, total, lat, lon, address_text,"
    " payment_token, payment_id, cancel_reason, idempotency_key,"
    " request_hash, from_cart, created_at, updated_at, number)"
    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14,"
    " $14, nextval('orders_number_seq'))";

} // namespace sql

/// The statements that store a new order: its row, its lines and its first
/// event.
std::vector<db_statement> insert_order(const order_record& x);

/// Replaces the order's lines (the saga assigns warehouses to them).
std::vector<db_statement>
replace_order_lines(const std::string& order_id,
                    const std::vector<order_line>& lines);

/// Appends one event (a status reached) to the order's history.
db_statement append_order_event(const std::string& order_id,
                                const status_change& change,
                                const std::string& detail = {});

/// How each order command is stored: the order's row, lines and history.
std::vector<db_statement> statements_for(const order_created& x);
std::vector<db_statement> statements_for(const order_lines_planned& x);
/// The status row fields and one history row; the lines stay as they are.
std::vector<db_statement> statements_for(const order_status_changed& x);
std::vector<db_statement> statements_for(const order_cancel_reason_set& x);

/// The order with its lines and history, or nothing.
std::optional<order_record> load_order(database& db, const std::string& id);

/// The order a user's idempotency key made, or nothing.
std::optional<order_record> find_order_by_key(database& db,
                                              const std::string& user_id,
                                              const std::string& key);

/// A user's orders, newest first.
std::vector<order_record> load_user_orders(database& db,
                                           const std::string& user_id);

/// The columns of the orders table that read_order_row reads, in its order.
extern const char* const order_columns;

/// The order of a row that starts with order_columns (no lines, no history).
order_record read_order_row(statement& st);

/// Which page of a user's orders to read.
struct order_list_query {
  std::string user_id;
  int64_t page = 1;       ///< 1-based
  int64_t page_size = 20; ///< 1..100
  /// Also the orders cancelled before they were paid (declined, out of
  /// stock); left out otherwise.
  bool include_unpaid = false;
};

/// One order of a list, with its short number (1, 2, ... in the order
/// orders were made on this store).
struct listed_order {
  order_record order;
  int64_t number = 0;
};

/// A page of a user's orders, newest first, and how many there are in all.
struct order_list_page {
  std::vector<listed_order> items;
  int64_t total = 0;
};

/// Reads one page of a user's orders, lines and history included, with one
/// query (and a count only for a page past the end).
order_list_page load_order_page(database& db, const order_list_query& q);

/// The short number of order `order_id`, if the order is stored.
std::optional<int64_t> find_order_number(database& db,
                                         const std::string& order_id);

/// Every order not yet final, oldest first: recovery hands them to fresh
/// order actors.
std::vector<order_record> load_open_orders(database& db);

/// The unfinished orders whose id `keep` accepts (an order shard's: SQL
/// cannot compute berry::order_shard_of), oldest first: the ids of every
/// unfinished order are read, then only the kept orders whole.
std::vector<order_record>
load_open_orders_of(database& db,
                    const std::function<bool(const std::string&)>& keep);

} // namespace berry::storage
