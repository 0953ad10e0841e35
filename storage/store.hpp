#pragma once

// Getting a node's database ready: the data directory, the schema, and a
// marketplace (the demo's, examples/demo) on the first start.

#include <string>
#include <vector>

#include "protocols/types.hpp"
#include "storage/database.hpp"

namespace berry::storage {

/// A whole marketplace: what a first start seeds, and what a node's actors
/// start from.
struct marketplace {
  std::vector<category> categories;
  std::vector<product> products;
  std::vector<warehouse_info> warehouses;
  std::vector<courier_info> couriers;
  std::vector<stock_level> stock;
};

/// Where a node keeps its data.
struct store_paths {
  std::string dir; ///< the data directory (the token key lives there)
  std::string db;  ///< dir + "/berry.db", or the PostgreSQL location
};

/// Creates `data_dir` if missing and brings the database to the latest
/// schema: berry.db in it, or the PostgreSQL database at `db_location` (a
/// libpq connection string) when one is given. Throws db_error or
/// std::filesystem::filesystem_error.
store_paths prepare_store(const std::string& data_dir,
                          const std::string& db_location = "");

/// True once a marketplace went in (meta has the key 'seeded').
bool is_seeded(database& db);

/// Writes all of `data` in one transaction (categories parents first) and
/// sets meta 'seeded' to the current Unix time, unless that key exists.
/// Returns whether it seeded. Throws db_error, leaving nothing half-written.
bool seed_if_empty(database& db, const marketplace& data);

} // namespace berry::storage
