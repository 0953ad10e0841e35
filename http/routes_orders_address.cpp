// Delivery addresses for checkout, from the demo city's street list
// (examples/demo/streets): suggestions for a typed address, the house
// nearest a point on the map, the streets to draw, and the delivery zone
// checkouts are held to. Public and pure: no actor, no storage.

#include <cmath>
#include <cstdio>
#include <exception>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "examples/demo/streets.hpp"
#include "http/etag.hpp"
#include "http/json_mapping.hpp"
#include "http/query.hpp"
#include "http/routes.hpp"
#include "http/routes_orders.hpp"

namespace berry::http {

namespace {

nlohmann::json address_json(const demo::street_address& a) {
  return {{"text", a.text},
          {"street", a.street},
          {"house", a.house},
          {"location", geo_json(a.location)},
          {"in_zone", demo::demo_city().zone().contains(a.location)}};
}

/// The value of `key` in the query, or "".
outcome<std::string> query_value(const request& req, std::string_view key) {
  auto pairs = parse_query(req.query);
  if (!pairs)
    return pairs.error();
  for (auto& [k, v] : *pairs)
    if (k == key)
      return v;
  return std::string{};
}

std::optional<double> to_degrees(const std::string& s, double limit) {
  try {
    size_t used = 0;
    double x = std::stod(s, &used);
    if (used == s.size() && std::isfinite(x) && std::abs(x) <= limit)
      return x;
  } catch (const std::exception&) {
  }
  return std::nullopt;
}

void refuse(const request& req, const responder& respond, std::string why) {
  respond(problem_response(make_problem(berry_errc::validation, std::move(why)),
                           req.request_id));
}

} // namespace

std::optional<problem> delivery_address_problem(const delivery_address& a) {
  auto& zone = demo::demo_city().zone();
  double km = zone.distance_m(a.location) / 1000.0;
  if (zone.contains(a.location))
    return std::nullopt;
  char detail[200];
  std::snprintf(detail, sizeof detail,
                "the address is outside the delivery zone: %.1f km from the "
                "centre of the city, and the shop delivers within %.0f km",
                km, zone.radius_m / 1000.0);
  return make_problem(berry_errc::validation, detail);
}

void get_addresses(const route_env&, const request& req, responder respond) {
  auto q = query_value(req, "q");
  if (!q) {
    respond(problem_response(q.error(), req.request_id));
    return;
  }
  nlohmann::json items = nlohmann::json::array();
  for (auto& a : demo::demo_city().suggest(*q, 8))
    items.push_back(address_json(a));
  respond(json_response(dump_json({{"items", std::move(items)}})));
}

void get_nearest_address(const route_env&, const request& req,
                         responder respond) {
  auto lat = query_value(req, "lat");
  auto lon = query_value(req, "lon");
  if (!lat || !lon)
    return refuse(req, respond, "lat and lon must be numbers");
  auto la = to_degrees(*lat, 90);
  auto lo = to_degrees(*lon, 180);
  if (!la || !lo)
    return refuse(req, respond, "lat must be -90..90 and lon -180..180");
  auto near = demo::demo_city().nearest({*la, *lo});
  auto j = address_json(near);
  // Outside the zone the nearest house is still told, with why it is no use.
  if (!demo::demo_city().zone().contains({*la, *lo}))
    j["in_zone"] = false;
  respond(json_response(dump_json(j)));
}

void get_streets(const route_env&, const request& req, responder respond) {
  static const auto body = [] {
    auto& city = demo::demo_city();
    nlohmann::json items = nlohmann::json::array();
    for (auto& s : city.streets()) {
      nlohmann::json points = nlohmann::json::array();
      for (auto& p : s.points)
        points.push_back({p.lat, p.lon});
      items.push_back({{"name", s.name}, {"points", std::move(points)}});
    }
    auto& z = city.zone();
    return dump_json(
        {{"city", z.city},
         {"delivery_zone",
          {{"center", geo_json(z.center)}, {"radius_km", z.radius_m / 1000.0}}},
         {"items", std::move(items)}});
  }();
  static const auto etag = make_etag(body);
  respond(cached_json(req, body, etag));
}

} // namespace berry::http
