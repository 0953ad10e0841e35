#pragma once

// The value types that actors exchange. Plain structs with `inspect`, so they
// cross actors (and, once registered, nodes). No JSON, SQLite or Beast here.

#include <cstdint>
#include <string>
#include <vector>

#include <caf/meta/type_name.hpp>

namespace berry {

/// A point on the map, WGS84 degrees.
struct geo_point {
  double lat = 0;
  double lon = 0;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, geo_point& x) {
  return f(caf::meta::type_name("geo_point"), x.lat, x.lon);
}

/// A node of the category tree; `parent_id` is empty for a root.
struct category {
  std::string id;
  std::string name;
  std::string parent_id;
  int32_t position = 0;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, category& x) {
  return f(caf::meta::type_name("category"), x.id, x.name, x.parent_id,
           x.position);
}

/// A product as the catalog owns it. `price` is in kopecks (RUB minor units).
struct product {
  std::string id;
  std::string title;
  std::string description;
  std::string category_id;
  int64_t price = 0;
  /// Seconds since the epoch, UTC.
  int64_t created_at = 0;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, product& x) {
  return f(caf::meta::type_name("product"), x.id, x.title, x.description,
           x.category_id, x.price, x.created_at);
}

/// A warehouse: where stock sits and parcels start.
struct warehouse_info {
  std::string id;
  std::string name;
  geo_point location;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, warehouse_info& x) {
  return f(caf::meta::type_name("warehouse_info"), x.id, x.name, x.location);
}

/// A courier as stored: its last known position survives restarts.
struct courier_info {
  std::string id;
  std::string name;
  geo_point location;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, courier_info& x) {
  return f(caf::meta::type_name("courier_info"), x.id, x.name, x.location);
}

/// Stock of one product in one warehouse.
struct stock_level {
  std::string warehouse_id;
  std::string product_id;
  int64_t on_hand = 0;
  int64_t reserved = 0;

  /// Units a buyer can still take.
  int64_t available() const { return on_hand - reserved; }
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, stock_level& x) {
  return f(caf::meta::type_name("stock_level"), x.warehouse_id, x.product_id,
           x.on_hand, x.reserved);
}

/// What a warehouse can hand out of one product.
struct product_availability {
  std::string product_id;
  int64_t available = 0;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, product_availability& x) {
  return f(caf::meta::type_name("product_availability"), x.product_id,
           x.available);
}

/// A warehouse's report to the catalog: the availability of the products
/// listed (all of them on start, the changed ones afterwards).
struct availability_report {
  std::string warehouse_id;
  std::vector<product_availability> items;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, availability_report& x) {
  return f(caf::meta::type_name("availability_report"), x.warehouse_id,
           x.items);
}

/// One bound parameter of a journaled SQL statement.
struct db_value {
  enum kind_t : uint8_t { null_v = 0, int_v, real_v, text_v };
  uint8_t kind = null_v;
  int64_t i = 0;
  double r = 0;
  std::string s;

  static db_value null() { return {}; }
  static db_value of(int64_t v) { return {int_v, v, 0, {}}; }
  static db_value of(double v) { return {real_v, 0, v, {}}; }
  static db_value of(std::string v) { return {text_v, 0, 0, std::move(v)}; }
  static db_value of(const char* v) { return of(std::string{v}); }
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, db_value& x) {
  return f(caf::meta::type_name("db_value"), x.kind, x.i, x.r, x.s);
}

/// One SQL statement for the journal. `sql` is one of the named constants of
/// storage/, never text built from user input; values go in `args`.
struct db_statement {
  std::string sql;
  std::vector<db_value> args;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, db_statement& x) {
  return f(caf::meta::type_name("db_statement"), x.sql, x.args);
}

/// The statements of one sender that commit together or not at all.
struct db_batch {
  std::vector<db_statement> statements;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, db_batch& x) {
  return f(caf::meta::type_name("db_batch"), x.statements);
}

/// Counters of the journal, for metrics and tests.
struct journal_stats {
  uint64_t batches = 0;    ///< db_batch messages acknowledged
  uint64_t statements = 0; ///< statements executed
  uint64_t commits = 0;    ///< transactions committed
  uint64_t failures = 0;   ///< batches refused (constraint, bad SQL)
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, journal_stats& x) {
  return f(caf::meta::type_name("journal_stats"), x.batches, x.statements,
           x.commits, x.failures);
}

} // namespace berry
