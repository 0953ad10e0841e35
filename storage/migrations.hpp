#pragma once

// The schema as a numbered list of migrations. Each runs once, in order, in
// its own transaction; PRAGMA user_version records the last one applied.

#include <vector>

#include "storage/database.hpp"

namespace berry::storage {

/// One step of the schema.
struct migration {
  int version;
  const char* name;
  const char* sql;
};

/// Migration 10's second half, the same on SQLite and PostgreSQL: each stock
/// row's units sold from the holds its warehouse committed so far (their
/// lines stay stored for a restock), and an index of the rows that sold.
inline constexpr const char* units_sold_fill = R"sql(
UPDATE stock SET sold = s.units FROM (
  SELECT r.warehouse_id, r.product_id, SUM(r.qty) AS units
  FROM reservations r JOIN warehouse_orders w
    ON w.order_id = r.order_id AND w.warehouse_id = r.warehouse_id
  WHERE w.state = 'committed'
  GROUP BY r.warehouse_id, r.product_id) s
WHERE stock.warehouse_id = s.warehouse_id AND stock.product_id = s.product_id;
CREATE INDEX stock_sold ON stock(product_id, sold) WHERE sold > 0;
)sql";

/// Every migration, in order; versions are 1, 2, 3 ...
const std::vector<migration>& migrations();

/// The version recorded in the database (0 for a new one).
int schema_version(database& db);

/// Applies the migrations not yet applied; returns the version reached.
/// Running it again is a no-op. Throws db_error (nothing half-applied).
int migrate(database& db);

} // namespace berry::storage
