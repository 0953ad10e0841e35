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

/// Counters of the journal, for metrics and tests.
struct journal_stats {
  uint64_t batches = 0;  ///< journal_batch messages acknowledged
  uint64_t commands = 0; ///< commands of those batches
  uint64_t commits = 0;  ///< transactions committed
  uint64_t failures = 0; ///< batches refused (constraint, I/O)
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, journal_stats& x) {
  return f(caf::meta::type_name("journal_stats"), x.batches, x.commands,
           x.commits, x.failures);
}

} // namespace berry
