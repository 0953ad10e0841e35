#pragma once

// Reads of the catalog, warehouses, stock and couriers, and the statements
// that write them through the journal. All SQL is in the named constants of
// `sql`, so a db_statement never carries text built from user input.

#include <string>
#include <vector>

#include "protocols/journal_commands.hpp"
#include "protocols/types.hpp"
#include "storage/database.hpp"

namespace berry::storage {

/// The SQL run by the catalog repository.
namespace sql {

inline constexpr const char* select_categories =
    "SELECT id, name, parent_id, position FROM categories"
    " ORDER BY position, id";

inline constexpr const char* select_products =
    "SELECT id, title, description, category_id, price, created_at"
    " FROM products ORDER BY id";

inline constexpr const char* select_warehouses =
    "SELECT id, name, lat, lon FROM warehouses ORDER BY id";

inline constexpr const char* select_stock =
    "SELECT warehouse_id, product_id, on_hand, reserved FROM stock"
    " WHERE warehouse_id = ?1 ORDER BY product_id";

inline constexpr const char* select_couriers =
    "SELECT id, name, lat, lon FROM couriers ORDER BY id";

/// Args: id, name, parent_id (NULL for a root), position.
inline constexpr const char* upsert_category =
    "INSERT INTO categories (id, name, parent_id, position)"
    " VALUES (?1, ?2, ?3, ?4) ON CONFLICT (id) DO UPDATE SET"
    " name = excluded.name, parent_id = excluded.parent_id,"
    " position = excluded.position";

/// Args: id, title, description, category_id, price, created_at. An upsert,
/// not INSERT OR REPLACE: only an UPDATE keeps products_fts in sync.
inline constexpr const char* upsert_product =
    "INSERT INTO products"
    " (id, title, description, category_id, price, created_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (id) DO UPDATE SET"
    " title = excluded.title, description = excluded.description,"
    " category_id = excluded.category_id, price = excluded.price,"
    " created_at = excluded.created_at";

/// Args: id, name, lat, lon.
inline constexpr const char* upsert_warehouse =
    "INSERT INTO warehouses (id, name, lat, lon) VALUES (?1, ?2, ?3, ?4)"
    " ON CONFLICT (id) DO UPDATE SET name = excluded.name,"
    " lat = excluded.lat, lon = excluded.lon";

/// Args: warehouse_id, product_id, on_hand, reserved.
inline constexpr const char* put_stock =
    "INSERT INTO stock (warehouse_id, product_id, on_hand, reserved)"
    " VALUES (?1, ?2, ?3, ?4) ON CONFLICT (warehouse_id, product_id)"
    " DO UPDATE SET on_hand = excluded.on_hand, reserved = excluded.reserved";

/// Args: id, name, lat, lon.
inline constexpr const char* upsert_courier =
    "INSERT INTO couriers (id, name, lat, lon) VALUES (?1, ?2, ?3, ?4)"
    " ON CONFLICT (id) DO UPDATE SET name = excluded.name,"
    " lat = excluded.lat, lon = excluded.lon";

} // namespace sql

/// Every category, ordered by position, then id.
std::vector<category> load_categories(database& db);

/// Every product, ordered by id.
std::vector<product> load_products(database& db);

/// Every warehouse, ordered by id.
std::vector<warehouse_info> load_warehouses(database& db);

/// The stock of one warehouse, ordered by product id.
std::vector<stock_level> load_stock(database& db,
                                    const std::string& warehouse_id);

/// Every courier with its last stored position, ordered by id.
std::vector<courier_info> load_couriers(database& db);

/// Inserts or updates a category (an empty parent_id stores NULL).
db_statement upsert_category(const category& x);

/// Inserts or updates a product.
db_statement upsert_product(const product& x);

/// Inserts or updates a warehouse.
db_statement upsert_warehouse(const warehouse_info& x);

/// Sets on_hand and reserved of one product in one warehouse.
db_statement put_stock(const stock_level& x);

/// Inserts or updates a courier and its position.
db_statement upsert_courier(const courier_info& x);

/// A product put by the catalog (upsert_product).
std::vector<db_statement> statements_for(const product_put& x);

/// A courier's position (upsert_courier).
std::vector<db_statement> statements_for(const courier_moved& x);

} // namespace berry::storage
