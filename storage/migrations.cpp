#include "storage/migrations.hpp"

#include <string>

#include "storage/postgres.hpp"
#include "storage/postgres_schema.hpp"

namespace berry::storage {

namespace {

// Migration 1: the catalog, stock, couriers and the bookkeeping tables.
//
// products_fts is an external-content FTS5 index over products, keyed by the
// implicit rowid of products; the triggers keep it in sync. Writers must
// upsert with ON CONFLICT DO UPDATE (which fires the update trigger), never
// INSERT OR REPLACE (whose implicit delete fires no trigger). VACUUM may
// renumber the rowids of products: rebuild the index after it
// (storage::rebuild_search_index).
constexpr const char* migration_1_foundation = R"sql(
CREATE TABLE categories (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  parent_id TEXT REFERENCES categories(id),
  position INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX categories_parent ON categories(parent_id);

CREATE TABLE products (
  id TEXT PRIMARY KEY,
  title TEXT NOT NULL,
  description TEXT NOT NULL,
  category_id TEXT NOT NULL REFERENCES categories(id),
  price INTEGER NOT NULL CHECK (price >= 0),
  created_at INTEGER NOT NULL
);
CREATE INDEX products_category ON products(category_id);

CREATE VIRTUAL TABLE products_fts USING fts5(
  title, description,
  content = 'products', content_rowid = 'rowid',
  tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TRIGGER products_fts_insert AFTER INSERT ON products BEGIN
  INSERT INTO products_fts(rowid, title, description)
    VALUES (new.rowid, new.title, new.description);
END;

CREATE TRIGGER products_fts_delete AFTER DELETE ON products BEGIN
  INSERT INTO products_fts(products_fts, rowid, title, description)
    VALUES ('delete', old.rowid, old.title, old.description);
END;

CREATE TRIGGER products_fts_update AFTER UPDATE ON products BEGIN
  INSERT INTO products_fts(products_fts, rowid, title, description)
    VALUES ('delete', old.rowid, old.title, old.description);
  INSERT INTO products_fts(rowid, title, description)
    VALUES (new.rowid, new.title, new.description);
END;

CREATE TABLE warehouses (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  lat REAL NOT NULL,
  lon REAL NOT NULL
);

CREATE TABLE stock (
  warehouse_id TEXT NOT NULL REFERENCES warehouses(id),
  product_id TEXT NOT NULL REFERENCES products(id),
  on_hand INTEGER NOT NULL CHECK (on_hand >= 0),
  reserved INTEGER NOT NULL DEFAULT 0
    CHECK (reserved >= 0 AND reserved <= on_hand),
  PRIMARY KEY (warehouse_id, product_id)
) WITHOUT ROWID;
CREATE INDEX stock_product ON stock(product_id);

CREATE TABLE couriers (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  lat REAL NOT NULL,
  lon REAL NOT NULL
);

CREATE TABLE meta (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

CREATE TABLE journal_probe (
  id INTEGER PRIMARY KEY,
  payload TEXT NOT NULL
);
)sql";

// Migration 2: accounts, carts, reservations, payments and orders.
//
// Orders are an append-only event table (order_events) plus a current-state
// table (orders, order_lines); recovery reads the orders not yet final. The
// idempotency key of a checkout is unique per user, so a duplicate can never
// make a second order even if two requests race to the journal.
constexpr const char* migration_2_checkout = R"sql(
CREATE TABLE users (
  id TEXT PRIMARY KEY,
  email TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('customer', 'courier', 'admin')),
  password_hash TEXT NOT NULL,
  created_at INTEGER NOT NULL
);

CREATE TABLE cart_lines (
  user_id TEXT NOT NULL REFERENCES users(id),
  product_id TEXT NOT NULL REFERENCES products(id),
  qty INTEGER NOT NULL CHECK (qty BETWEEN 1 AND 99),
  PRIMARY KEY (user_id, product_id)
) WITHOUT ROWID;

CREATE TABLE reservations (
  order_id TEXT NOT NULL,
  warehouse_id TEXT NOT NULL REFERENCES warehouses(id),
  product_id TEXT NOT NULL REFERENCES products(id),
  qty INTEGER NOT NULL CHECK (qty > 0),
  expires_at INTEGER NOT NULL,
  PRIMARY KEY (order_id, warehouse_id, product_id)
) WITHOUT ROWID;
CREATE INDEX reservations_warehouse ON reservations(warehouse_id);

-- What each warehouse did for each order, so that commit, release and
-- restock are idempotent across restarts.
CREATE TABLE warehouse_orders (
  order_id TEXT NOT NULL,
  warehouse_id TEXT NOT NULL REFERENCES warehouses(id),
  state TEXT NOT NULL
    CHECK (state IN ('reserved', 'committed', 'released', 'restocked')),
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (order_id, warehouse_id)
) WITHOUT ROWID;

-- The built-in payment provider's own books, idempotent by key.
CREATE TABLE provider_payments (
  key TEXT PRIMARY KEY,
  payment_id TEXT NOT NULL UNIQUE,
  order_id TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('charge', 'refund')),
  amount INTEGER NOT NULL CHECK (amount >= 0),
  token TEXT NOT NULL,
  status TEXT NOT NULL
    CHECK (status IN ('captured', 'declined', 'refunded', 'failed')),
  attempts INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL
);
CREATE INDEX provider_payments_order ON provider_payments(order_id);

CREATE TABLE orders (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id),
  status TEXT NOT NULL,
  total INTEGER NOT NULL CHECK (total >= 0),
  lat REAL NOT NULL,
  lon REAL NOT NULL,
  address_text TEXT NOT NULL,
  payment_token TEXT NOT NULL,
  payment_id TEXT NOT NULL DEFAULT '',
  cancel_reason TEXT NOT NULL DEFAULT '',
  idempotency_key TEXT NOT NULL,
  request_hash TEXT NOT NULL,
  courier_id TEXT NOT NULL DEFAULT '',
  courier_lat REAL NOT NULL DEFAULT 0,
  courier_lon REAL NOT NULL DEFAULT 0,
  eta_s INTEGER NOT NULL DEFAULT -1,
  -- Checked out from the cart, which is emptied once the order is paid.
  from_cart INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  UNIQUE (user_id, idempotency_key)
);
CREATE INDEX orders_user ON orders(user_id, created_at);
CREATE INDEX orders_status ON orders(status);

CREATE TABLE order_lines (
  order_id TEXT NOT NULL REFERENCES orders(id),
  line_no INTEGER NOT NULL,
  product_id TEXT NOT NULL REFERENCES products(id),
  qty INTEGER NOT NULL CHECK (qty BETWEEN 1 AND 99),
  unit_price INTEGER NOT NULL CHECK (unit_price >= 0),
  warehouse_id TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (order_id, line_no)
) WITHOUT ROWID;

CREATE TABLE order_events (
  id INTEGER PRIMARY KEY,
  order_id TEXT NOT NULL REFERENCES orders(id),
  status TEXT NOT NULL,
  at INTEGER NOT NULL,
  detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX order_events_order ON order_events(order_id, id);
)sql";

// Migration 3: the holds a warehouse still has reserved, in an index of their
// own, so that a warehouse starts from them without reading every order it
// ever served (storage::load_live_reservations). Settled holds stay in
// warehouse_orders, found by primary key when an order comes back.
constexpr const char* migration_3_live_holds = R"sql(
CREATE INDEX warehouse_orders_live ON warehouse_orders(warehouse_id, order_id)
  WHERE state = 'reserved';
)sql";

// Migration 4: search that knows Russian word forms. products_fts is made
// again with the tokenizer berry_russian (storage/russian_words.hpp: folded
// «ё», Snowball stems) and rebuilt from products; the triggers of migration 1
// write to it unchanged. products_fts_terms lists the indexed stems, the
// vocabulary of typo suggestions (storage::suggest_query).
constexpr const char* migration_4_russian_search = R"sql(
DROP TABLE products_fts;
CREATE VIRTUAL TABLE products_fts USING fts5(
  title, description,
  content = 'products', content_rowid = 'rowid',
  tokenize = 'berry_russian remove_diacritics 2'
);
INSERT INTO products_fts (products_fts) VALUES ('rebuild');
CREATE VIRTUAL TABLE products_fts_terms USING fts5vocab(products_fts, row);
)sql";

// Migration 5: a short number per order for people to read and say (the id
// stays the opaque key), in the order orders were made; new orders take the
// next (storage/order_repo).
constexpr const char* migration_5_order_numbers = R"sql(
ALTER TABLE orders ADD COLUMN number INTEGER;
UPDATE orders SET number = rowid;
CREATE UNIQUE INDEX orders_number ON orders(number);
)sql";

// Migration 6: tokens that can be revoked. A token carries its user's
// token_version (raised by a password change or an admin reset, which
// revokes every older token); a token signed out is kept in revoked_tokens
// until it would have expired anyway.
constexpr const char* migration_6_token_revocation = R"sql(
ALTER TABLE users ADD COLUMN token_version INTEGER NOT NULL DEFAULT 0;
CREATE TABLE revoked_tokens (
  token_id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL,
  expires_at INTEGER NOT NULL
) WITHOUT ROWID;
)sql";

// Migration 7: the id a product has in the system it was imported from
// (berry import, storage/catalog_import.hpp), unique, so that importing the
// same line again updates the product instead of adding a second one.
// Products made through the admin API have none (NULL).
constexpr const char* migration_7_external_ids = R"sql(
ALTER TABLE products ADD COLUMN external_id TEXT;
CREATE UNIQUE INDEX products_external_id ON products(external_id);
)sql";

// Migration 8: in PostgreSQL, order numbers from a sequence, because many
// nodes write orders at once (storage/postgres_schema.cpp). SQLite has one
// writer, its journal, and keeps taking the table's next number: nothing
// changes here but the version.
constexpr const char* migration_8_order_number_sequence = "";

// Migration 9: the saga's attempt (issue 14). An order counts its plans; a
// warehouse keeps the attempt it last reserved or released an order for, so
// that a reserve that arrives after the release of its attempt (a takeover
// delayed it) holds nothing, after a restart too. 0: none given.
constexpr const char* migration_9_attempts = R"sql(
ALTER TABLE orders ADD COLUMN plan_attempt INTEGER NOT NULL DEFAULT 0;
ALTER TABLE warehouse_orders ADD COLUMN attempt INTEGER NOT NULL DEFAULT 0;
)sql";

// Migration 10: units sold kept with the stock (issue 10). A warehouse's
// commit adds the units it takes off the shelf, a restock takes them back,
// in the same write; «Популярные товары» sums these rows instead of every
// order line ever paid. Filled by units_sold_fill (migrations.hpp).
const char* migration_10_units_sold() {
  static const std::string sql =
      std::string{
          "ALTER TABLE stock ADD COLUMN sold INTEGER NOT NULL DEFAULT 0;"} +
      units_sold_fill;
  return sql.c_str();
}

} // namespace

// Every migration has its PostgreSQL twin, same version, in
// storage/postgres_schema.cpp (a [postgres] test checks that the two lists
// match): add both together.
const std::vector<migration>& migrations() {
  static const std::vector<migration> all{
      {1, "foundation", migration_1_foundation},
      {2, "checkout", migration_2_checkout},
      {3, "live holds", migration_3_live_holds},
      {4, "russian search", migration_4_russian_search},
      {5, "order numbers", migration_5_order_numbers},
      {6, "token revocation", migration_6_token_revocation},
      {7, "external ids", migration_7_external_ids},
      {8, "order number sequence", migration_8_order_number_sequence},
      {9, "attempts", migration_9_attempts},
      {10, "units sold", migration_10_units_sold()},
  };
  return all;
}

int schema_version(database& db) {
  if (db.is_postgres()) {
    try {
      return postgres_schema_version(*db.postgres());
    } catch (const pg_error& e) {
      throw_as_db_error(e);
    }
  }
  auto stmt = db.prepare("PRAGMA user_version");
  return stmt.step() ? static_cast<int>(stmt.col_int(0)) : 0;
}

int migrate(database& db) {
  if (db.is_postgres()) {
    try {
      return migrate(*db.postgres());
    } catch (const pg_error& e) {
      throw_as_db_error(e);
    }
  }
  int version = schema_version(db);
  for (const auto& m : migrations()) {
    if (m.version <= version)
      continue;
    transaction tx{db};
    // Another process may have migrated while we waited for the write lock.
    if (schema_version(db) >= m.version) {
      tx.rollback();
      version = schema_version(db);
      continue;
    }
    db.exec(m.sql);
    // user_version lives in the database header, inside this transaction.
    db.exec("PRAGMA user_version=" + std::to_string(m.version));
    tx.commit();
    version = m.version;
  }
  return version;
}

} // namespace berry::storage
