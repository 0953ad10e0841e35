#pragma once

// Protocol types to JSON, exactly as API.md spells them. The only place the
// edge decides field names; actors never see JSON.

#include <cstdint>
#include <string>

#include <nlohmann/json_fwd.hpp>

#include "actors/catalog_snapshot.hpp"
#include "protocols/types.hpp"

namespace berry::http {

/// Money: {"amount": <kopecks>, "currency": "RUB"}.
nlohmann::json money_json(int64_t kopecks);

/// An RFC 3339 UTC timestamp of seconds since the epoch, e.g.
/// "2026-11-24T18:00:00Z".
std::string rfc3339_utc(int64_t seconds);

/// A Product: {id, title, description, category_id, price: Money, available,
/// created_at}.
nlohmann::json product_json(const product& p, int64_t available);

/// The Product of a catalog entry.
nlohmann::json product_json(const catalog_entry& e);

/// A category: {id, name, parent_id}; parent_id is null for a root.
nlohmann::json category_json(const category& c);

/// A warehouse: {id, name, location: {lat, lon}}.
nlohmann::json warehouse_json(const warehouse_info& w);

/// A point: {lat, lon}.
nlohmann::json geo_json(const geo_point& p);

/// Compact UTF-8 text of `j`; invalid UTF-8 in strings is replaced, never
/// thrown.
std::string dump_json(const nlohmann::json& j);

} // namespace berry::http
