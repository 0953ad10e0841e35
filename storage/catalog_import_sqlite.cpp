// The SQLite side of catalog_importer::put: the products of a batch, their
// stock, and their full-text index in one statement per batch.
//
// Why not the triggers: every statement that fires them opens a statement
// savepoint, and FTS5 writes its pending terms to disk at each savepoint, so
// row-by-row indexing makes one tiny index segment per product and then
// merges them all (two thirds of the import's time). Inside the batch's
// transaction the triggers are dropped, the batch's old index entries
// deleted and its new ones added in two statements, and the triggers made
// again from their own text before the commit: readers and a crash see the
// index exactly as the triggers would have left it.
//
// Foreign keys: checking them cost five index searches per product (its
// category, and each stock row's warehouse and product), a tenth of the
// writer's time. The importer turns them off on its connection and checks
// the names itself against the categories and warehouses the store had when
// the import began (`berry import` runs on a stopped node's store), with
// the store's own error; a stock row's product is the one written just
// before it.

#include <sqlite3.h>

#include <nlohmann/json.hpp>

#include "storage/catalog_import.hpp"

namespace berry::storage {

namespace {

// The triggers of migration 1 that index each product as it is written.
constexpr const char* select_fts_triggers =
    "SELECT name, sql FROM sqlite_master WHERE type = 'trigger'"
    " AND tbl_name = 'products' AND name LIKE 'products_fts_%'";

// Enough pages for the full-text index's merges to read from memory.
constexpr const char* import_cache_size = "PRAGMA cache_size=-65536";

std::unordered_set<std::string> ids_of(database& db, const char* sql) {
  std::unordered_set<std::string> out;
  auto stmt = db.prepare(sql);
  while (stmt.step())
    out.insert(stmt.col_text(0));
  return out;
}

constexpr const char* import_upsert_product =
    "INSERT INTO products (id, external_id, title, description, category_id,"
    " price, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
    " ON CONFLICT (id) DO UPDATE SET external_id = excluded.external_id,"
    " title = excluded.title, description = excluded.description,"
    " category_id = excluded.category_id, price = excluded.price";

constexpr const char* import_put_stock =
    "INSERT INTO stock (warehouse_id, product_id, on_hand, reserved)"
    " VALUES (?1, ?2, ?3, 0) ON CONFLICT (warehouse_id, product_id)"
    " DO UPDATE SET on_hand = excluded.on_hand";

/// Arg: a JSON array of product ids. Their entries as indexed now.
constexpr const char* unindex_products =
    "INSERT INTO products_fts (products_fts, rowid, title, description)"
    " SELECT 'delete', p.rowid, p.title, p.description"
    " FROM json_each(?1) AS j JOIN products AS p ON p.id = j.value";

/// Arg: a JSON array of product ids.
constexpr const char* index_products =
    "INSERT INTO products_fts (rowid, title, description)"
    " SELECT p.rowid, p.title, p.description"
    " FROM json_each(?1) AS j JOIN products AS p ON p.id = j.value";

} // namespace

void catalog_importer::open_sqlite() {
  auto triggers = db_.prepare(select_fts_triggers);
  while (triggers.step())
    fts_triggers_.emplace_back(triggers.col_text(0), triggers.col_text(1));
  categories_ = ids_of(db_, "SELECT id FROM categories");
  warehouses_ = ids_of(db_, "SELECT id FROM warehouses");
  had_foreign_keys_ = ids_of(db_, "PRAGMA foreign_keys").count("1") > 0;
  db_.exec("PRAGMA foreign_keys=OFF"); // a no-op inside a transaction
  db_.exec(import_cache_size);
}

catalog_importer::~catalog_importer() {
  if (!had_foreign_keys_)
    return;
  try {
    db_.exec("PRAGMA foreign_keys=ON");
  } catch (const db_error&) {
    // the connection is failing anyway; its owner will see it
  }
}

void catalog_importer::check_names(const import_item& x) const {
  bool known = categories_.count(x.item.category_id) > 0;
  for (const auto& [w, n] : x.stock)
    known = known && warehouses_.count(w) > 0;
  if (!known)
    throw db_error(SQLITE_CONSTRAINT_FOREIGNKEY,
                   "FOREIGN KEY constraint failed");
}

void catalog_importer::put_sqlite(const std::vector<import_item>& rows) {
  auto all = nlohmann::json::array();
  auto updated = nlohmann::json::array();
  for (const auto& x : rows) {
    check_names(x);
    all.push_back(x.item.id);
    if (existing_.count(x.item.id))
      updated.push_back(x.item.id);
  }
  if (!updated.empty())
    db_.prepare(unindex_products).bind(1, updated.dump()).run();
  for (const auto& [name, sql] : fts_triggers_)
    db_.exec("DROP TRIGGER " + name);
  statement_cache cache{db_};
  for (const auto& x : rows) {
    const auto& p = x.item;
    cache.get(import_upsert_product)
        .bind(1, p.id)
        .bind(2, x.external_id)
        .bind(3, p.title)
        .bind(4, p.description)
        .bind(5, p.category_id)
        .bind(6, p.price)
        .bind(7, p.created_at)
        .run();
    for (const auto& [w, n] : x.stock)
      cache.get(import_put_stock).bind(1, w).bind(2, p.id).bind(3, n).run();
  }
  db_.prepare(index_products).bind(1, all.dump()).run();
  for (const auto& [name, sql] : fts_triggers_)
    db_.exec(sql);
}

} // namespace berry::storage
