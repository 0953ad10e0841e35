#pragma once

// The writer of `berry import`: products with their external ids and stock,
// a batch per transaction, on SQLite or PostgreSQL. A product whose external
// id is already in the store is updated in place (its id, reservations and
// orders stay); a new one takes the next free "p-" number. The full-text
// index follows the products table on both stores (SQLite's triggers,
// PostgreSQL's generated column).

#include <cstdint>
#include <string>
#include <unordered_set>
#include <utility>
#include <vector>

#include "protocols/types.hpp"
#include "storage/database.hpp"

namespace berry::storage {

/// One product to import, as a line of the import file said it.
struct import_item {
  int64_t line = 0;        ///< its line number in the file, for reports
  std::string external_id; ///< the key of the product in its source
  product item;            ///< its id is ignored: the writer assigns it
  /// On hand per warehouse id; warehouses not named keep their stock.
  std::vector<std::pair<std::string, int64_t>> stock;
};

/// A line the store refused, and why.
struct import_reject {
  int64_t line = 0;
  std::string reason;
};

/// What one batch did.
struct import_outcome {
  size_t written = 0; ///< products inserted or updated
  std::vector<import_reject> rejected;
};

/// Writes batches of imported products to one database connection.
class catalog_importer {
public:
  /// Reads the highest "p-" number taken so far. Throws db_error.
  explicit catalog_importer(database& db);
  catalog_importer(const catalog_importer&) = delete;
  catalog_importer& operator=(const catalog_importer&) = delete;
  /// Gives the connection its foreign key checks back (SQLite; it keeps
  /// the importer's larger page cache).
  ~catalog_importer();

  /// Writes `items` in one transaction: all of them, or, when the store
  /// refuses one (say, on_hand below what is reserved), every other one
  /// with that one reported in `rejected` and nothing of it written. A later
  /// item with the same external id as an earlier one in `items` wins.
  /// Throws db_error when the store cannot be written at all.
  import_outcome write(const std::vector<import_item>& items);

private:
  /// Sets each row's product id: its own when its external id is known,
  /// else the next free number.
  std::vector<import_item> with_ids(const std::vector<import_item>& items);

  /// Runs the product and stock statements for `rows`; throws db_error.
  void put(const std::vector<import_item>& rows);

  /// The SQLite connection made ready for the import (see
  /// storage/catalog_import_sqlite.cpp); throws db_error.
  void open_sqlite();

  /// put() on SQLite (storage/catalog_import_sqlite.cpp).
  void put_sqlite(const std::vector<import_item>& rows);

  /// Throws the store's foreign key error when `x` names a category or a
  /// warehouse the store does not have (SQLite: the checks are ours).
  void check_names(const import_item& x) const;

  /// One row at a time, each in a savepoint: the slow path after a refusal.
  import_outcome put_each(const std::vector<import_item>& rows);

  database& db_;
  uint64_t last_number_ = 0;
  /// The ids with_ids found already in the store (updates, not inserts).
  std::unordered_set<std::string> existing_;
  /// SQLite: the triggers that keep products_fts, as (name, CREATE text).
  std::vector<std::pair<std::string, std::string>> fts_triggers_;
  /// SQLite: the ids foreign keys may name, read when the import began.
  std::unordered_set<std::string> categories_, warehouses_;
  /// SQLite: whether the connection checked foreign keys before.
  bool had_foreign_keys_ = false;
};

} // namespace berry::storage
