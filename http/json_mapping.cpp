#include "http/json_mapping.hpp"

#include <ctime>

#include <nlohmann/json.hpp>

namespace berry::http {

nlohmann::json money_json(int64_t kopecks) {
  return {{"amount", kopecks}, {"currency", "RUB"}};
}

std::string rfc3339_utc(int64_t seconds) {
  auto t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

nlohmann::json product_json(const product& p, int64_t available) {
  return {{"id", p.id},
          {"title", p.title},
          {"description", p.description},
          {"category_id", p.category_id},
          {"price", money_json(p.price)},
          {"available", available},
          {"created_at", rfc3339_utc(p.created_at)}};
}

nlohmann::json product_json(const catalog_entry& e) {
  return product_json(e.item, e.available);
}

nlohmann::json category_json(const category& c) {
  nlohmann::json parent = nullptr;
  if (!c.parent_id.empty())
    parent = c.parent_id;
  return {{"id", c.id}, {"name", c.name}, {"parent_id", std::move(parent)}};
}

nlohmann::json geo_json(const geo_point& p) {
  return {{"lat", p.lat}, {"lon", p.lon}};
}

nlohmann::json warehouse_json(const warehouse_info& w) {
  return {{"id", w.id}, {"name", w.name}, {"location", geo_json(w.location)}};
}

std::string dump_json(const nlohmann::json& j) {
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

} // namespace berry::http
