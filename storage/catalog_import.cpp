#include "storage/catalog_import.hpp"

#include <cstdio>
#include <unordered_map>

#include <nlohmann/json.hpp>

namespace berry::storage {

namespace {

constexpr const char* select_product_ids =
    "SELECT id FROM products WHERE id LIKE 'p-%'";

constexpr const char* sqlite_find_external =
    "SELECT id FROM products WHERE external_id = ?1";

// PostgreSQL: a whole batch per statement, as one JSON array, since every
// statement is a round trip.
constexpr const char* pg_find_external =
    "SELECT external_id, id FROM products WHERE external_id IN"
    " (SELECT jsonb_array_elements_text(?1::jsonb)::ctext)";

constexpr const char* pg_upsert_products =
    "INSERT INTO products (id, external_id, title, description, category_id,"
    " price, created_at) SELECT x.id, x.external_id, x.title, x.description,"
    " x.category_id, x.price, x.created_at FROM jsonb_to_recordset(?1::jsonb)"
    " AS x(id ctext, external_id ctext, title ctext, description ctext,"
    " category_id ctext, price bigint, created_at bigint)"
    " ON CONFLICT (id) DO UPDATE SET external_id = excluded.external_id,"
    " title = excluded.title, description = excluded.description,"
    " category_id = excluded.category_id, price = excluded.price";

constexpr const char* pg_put_stock =
    "INSERT INTO stock (warehouse_id, product_id, on_hand, reserved)"
    " SELECT x.w, x.p, x.n, 0 FROM jsonb_to_recordset(?1::jsonb)"
    " AS x(w ctext, p ctext, n bigint) ON CONFLICT (warehouse_id, product_id)"
    " DO UPDATE SET on_hand = excluded.on_hand";

/// The number of a catalog-made id ("p-000042" -> 42), or 0 for any other.
uint64_t product_number(const std::string& id) {
  if (id.size() < 3 || id.size() > 20 ||
      id.find_first_not_of("0123456789", 2) != std::string::npos)
    return 0;
  return std::stoull(id.substr(2));
}

/// The last item of each external id, in the order of `items`.
std::vector<import_item> last_of_each(const std::vector<import_item>& items) {
  std::unordered_map<std::string, size_t> last;
  for (size_t i = 0; i < items.size(); ++i)
    last[items[i].external_id] = i;
  std::vector<import_item> out;
  out.reserve(last.size());
  for (size_t i = 0; i < items.size(); ++i)
    if (last[items[i].external_id] == i)
      out.push_back(items[i]);
  return out;
}

} // namespace

catalog_importer::catalog_importer(database& db) : db_(db) {
  auto stmt = db_.prepare(select_product_ids);
  while (stmt.step())
    last_number_ = std::max(last_number_, product_number(stmt.col_text(0)));
  if (!db_.is_postgres())
    open_sqlite();
}

std::vector<import_item>
catalog_importer::with_ids(const std::vector<import_item>& items) {
  auto rows = last_of_each(items);
  existing_.clear();
  std::unordered_map<std::string, std::string> known;
  if (db_.is_postgres()) {
    auto keys = nlohmann::json::array();
    for (const auto& x : rows)
      keys.push_back(x.external_id);
    auto stmt = db_.prepare(pg_find_external);
    stmt.bind(1, keys.dump());
    while (stmt.step())
      known.emplace(stmt.col_text(0), stmt.col_text(1));
  } else {
    auto stmt = db_.prepare(sqlite_find_external);
    for (const auto& x : rows) {
      stmt.reset();
      stmt.bind(1, x.external_id);
      if (stmt.step())
        known.emplace(x.external_id, stmt.col_text(0));
    }
  }
  for (auto& x : rows) {
    auto found = known.find(x.external_id);
    if (found != known.end()) {
      x.item.id = found->second;
      existing_.insert(x.item.id);
      continue;
    }
    char buf[32];
    std::snprintf(buf, sizeof buf, "p-%06llu",
                  static_cast<unsigned long long>(++last_number_));
    x.item.id = buf;
  }
  return rows;
}

void catalog_importer::put(const std::vector<import_item>& rows) {
  if (db_.is_postgres()) {
    auto products = nlohmann::json::array();
    auto stock = nlohmann::json::array();
    for (const auto& x : rows) {
      const auto& p = x.item;
      products.push_back({{"id", p.id},
                          {"external_id", x.external_id},
                          {"title", p.title},
                          {"description", p.description},
                          {"category_id", p.category_id},
                          {"price", p.price},
                          {"created_at", p.created_at}});
      for (const auto& [w, n] : x.stock)
        stock.push_back({{"w", w}, {"p", p.id}, {"n", n}});
    }
    db_.prepare(pg_upsert_products).bind(1, products.dump()).run();
    if (!stock.empty())
      db_.prepare(pg_put_stock).bind(1, stock.dump()).run();
    return;
  }
  put_sqlite(rows);
}

import_outcome
catalog_importer::put_each(const std::vector<import_item>& rows) {
  import_outcome out;
  for (const auto& x : rows) {
    savepoint sp{db_, "import_row"};
    try {
      put({x});
      sp.release();
      ++out.written;
    } catch (const db_error& e) {
      sp.rollback();
      out.rejected.push_back({x.line, e.what()});
    }
  }
  return out;
}

import_outcome catalog_importer::write(const std::vector<import_item>& items) {
  auto numbered = last_number_;
  {
    transaction tx{db_};
    auto rows = with_ids(items);
    try {
      put(rows);
      tx.commit();
      return {items.size(), {}};
    } catch (const db_error& e) {
      if (!e.is_constraint())
        throw;
    }
  }
  // A row was refused: the batch again, row by row, from a clean slate.
  last_number_ = numbered;
  transaction tx{db_};
  auto rows = with_ids(items);
  auto out = put_each(rows);
  tx.commit();
  out.written += items.size() - rows.size(); // the lines a later one won over
  return out;
}

} // namespace berry::storage
