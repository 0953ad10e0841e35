// Orders and checkout requests to and from JSON, exactly as API.md.

#include <algorithm>

#include <nlohmann/json.hpp>

#include "http/json_mapping.hpp"
#include "http/product_body.hpp"
#include "http/routes_orders.hpp"

namespace berry::http {

namespace {

std::string at_rfc3339(int64_t ms) {
  return rfc3339_utc(ms / 1000);
}

bool valid_token_shape(const std::string& t) {
  if (t.size() < 4 || t.size() > 64 || t.rfind("tok_", 0) != 0)
    return false;
  for (unsigned char c : t)
    if (!(std::isalnum(c) || c == '_'))
      return false;
  return true;
}

} // namespace

nlohmann::json order_json(const order_record& x,
                          const std::vector<warehouse_info>& warehouses) {
  nlohmann::json lines = nlohmann::json::array();
  for (auto& l : x.lines)
    lines.push_back({{"product_id", l.product_id},
                     {"qty", l.qty},
                     {"unit_price", money_json(l.unit_price)},
                     {"warehouse_id", l.warehouse_id}});
  nlohmann::json history = nlohmann::json::array();
  for (auto& h : x.history)
    history.push_back(
        {{"status", to_string(h.status)}, {"at", at_rfc3339(h.at_ms)}});
  nlohmann::json j{{"id", x.id},
                   {"status", to_string(x.status)},
                   {"lines", std::move(lines)},
                   {"total", money_json(x.total)},
                   {"created_at", at_rfc3339(x.created_at_ms)},
                   {"history", std::move(history)},
                   {"address",
                    {{"lat", x.address.location.lat},
                     {"lon", x.address.location.lon},
                     {"text", x.address.text}}}};
  if (!warehouses.empty()) {
    auto used = nlohmann::json::array();
    for (auto& w : warehouses)
      if (std::any_of(
              x.lines.begin(), x.lines.end(),
              [&w](const order_line& l) { return l.warehouse_id == w.id; }))
        used.push_back({{"id", w.id},
                        {"name", w.name},
                        {"location", geo_json(w.location)}});
    j["warehouses"] = std::move(used);
  }
  if (!x.courier_id.empty())
    j["courier"] = {{"id", x.courier_id},
                    {"location", geo_json(x.courier_location)}};
  if (x.eta_s >= 0)
    j["eta_s"] = x.eta_s;
  if (x.status == order_status::cancelled &&
      x.cancel_reason != compensation_reason::none)
    j["cancel_reason"] = to_string(x.cancel_reason);
  // The saga refunds before it journals cancelled or returned, so a charged
  // order in either status has been refunded.
  if (!x.payment_id.empty()) {
    bool refunded = x.status == order_status::cancelled ||
                    x.status == order_status::returned;
    auto shown = refunded ? payment_status::refunded : payment_status::captured;
    j["payment"] = {{"id", x.payment_id},
                    {"status", to_string(shown)},
                    {"amount", money_json(x.total)}};
  }
  return j;
}

namespace {

void append_money(std::string& out, int64_t kopecks) {
  out += "{\"amount\":";
  append_json_int(out, kopecks);
  out += ",\"currency\":\"RUB\"}";
}

void append_geo(std::string& out, const geo_point& p) {
  out += "{\"lat\":";
  append_json_double(out, p.lat);
  out += ",\"lon\":";
  append_json_double(out, p.lon);
  out += '}';
}

} // namespace

void append_order_json(std::string& out, const order_record& x,
                       const std::vector<warehouse_info>& warehouses,
                       std::optional<int64_t> number) {
  // order_json's keys in the order a JSON object dumps them: sorted.
  out += "{\"address\":{\"lat\":";
  append_json_double(out, x.address.location.lat);
  out += ",\"lon\":";
  append_json_double(out, x.address.location.lon);
  out += ",\"text\":";
  append_json_string(out, x.address.text);
  out += '}';
  if (x.status == order_status::cancelled &&
      x.cancel_reason != compensation_reason::none) {
    out += ",\"cancel_reason\":";
    append_json_string(out, to_string(x.cancel_reason));
  }
  if (!x.courier_id.empty()) {
    out += ",\"courier\":{\"id\":";
    append_json_string(out, x.courier_id);
    out += ",\"location\":";
    append_geo(out, x.courier_location);
    out += '}';
  }
  out += ",\"created_at\":";
  append_json_string(out, at_rfc3339(x.created_at_ms));
  if (x.eta_s >= 0) {
    out += ",\"eta_s\":";
    append_json_int(out, x.eta_s);
  }
  out += ",\"history\":[";
  for (size_t i = 0; i < x.history.size(); ++i) {
    auto& h = x.history[i];
    out += i == 0 ? "{\"at\":" : ",{\"at\":";
    append_json_string(out, at_rfc3339(h.at_ms));
    out += ",\"status\":";
    append_json_string(out, to_string(h.status));
    out += '}';
  }
  out += "],\"id\":";
  append_json_string(out, x.id);
  out += ",\"lines\":[";
  for (size_t i = 0; i < x.lines.size(); ++i) {
    auto& l = x.lines[i];
    out += i == 0 ? "{\"product_id\":" : ",{\"product_id\":";
    append_json_string(out, l.product_id);
    out += ",\"qty\":";
    append_json_int(out, l.qty);
    out += ",\"unit_price\":";
    append_money(out, l.unit_price);
    out += ",\"warehouse_id\":";
    append_json_string(out, l.warehouse_id);
    out += '}';
  }
  out += ']';
  if (number) {
    out += ",\"number\":";
    append_json_int(out, *number);
  }
  if (!x.payment_id.empty()) {
    bool refunded = x.status == order_status::cancelled ||
                    x.status == order_status::returned;
    auto shown = refunded ? payment_status::refunded : payment_status::captured;
    out += ",\"payment\":{\"amount\":";
    append_money(out, x.total);
    out += ",\"id\":";
    append_json_string(out, x.payment_id);
    out += ",\"status\":";
    append_json_string(out, to_string(shown));
    out += '}';
  }
  out += ",\"status\":";
  append_json_string(out, to_string(x.status));
  out += ",\"total\":";
  append_money(out, x.total);
  if (!warehouses.empty()) {
    out += ",\"warehouses\":[";
    bool first = true;
    for (auto& w : warehouses) {
      if (std::none_of(
              x.lines.begin(), x.lines.end(),
              [&w](const order_line& l) { return l.warehouse_id == w.id; }))
        continue;
      out += first ? "{\"id\":" : ",{\"id\":";
      first = false;
      append_json_string(out, w.id);
      out += ",\"location\":";
      append_geo(out, w.location);
      out += ",\"name\":";
      append_json_string(out, w.name);
      out += '}';
    }
    out += ']';
  }
  out += '}';
}

outcome<checkout_request> parse_checkout(const nlohmann::json& body) {
  checkout_request out;
  if (body.contains("lines") && !body["lines"].is_null()) {
    auto& lines = body["lines"];
    if (!lines.is_array())
      return invalid("lines must be an array");
    if (lines.empty())
      return invalid(
          "lines must not be empty (leave it out to check out the cart)");
    for (auto& l : lines) {
      if (!l.is_object() || !l.contains("product_id") ||
          !l["product_id"].is_string())
        return invalid("each line needs a product_id string");
      if (!l.contains("qty") || !l["qty"].is_number_integer())
        return invalid("each line needs an integer qty");
      auto qty = l["qty"].get<int64_t>();
      if (qty < 1 || qty > 99)
        return invalid("qty must be 1..99");
      out.lines.push_back(
          {l["product_id"].get<std::string>(), static_cast<int32_t>(qty)});
    }
  }
  if (!body.contains("address") || !body["address"].is_object())
    return invalid("address {lat, lon, text} is required");
  auto& a = body["address"];
  if (!a.contains("lat") || !a["lat"].is_number() || !a.contains("lon") ||
      !a["lon"].is_number())
    return invalid("address needs numeric lat and lon");
  double lat = a["lat"].get<double>();
  double lon = a["lon"].get<double>();
  if (lat < -90 || lat > 90 || lon < -180 || lon > 180)
    return invalid("address lat must be -90..90 and lon -180..180");
  if (a.contains("text") && !a["text"].is_string())
    return invalid("address text must be a string");
  std::string text = a.value("text", "");
  if (text.size() > 500)
    return invalid("address text is longer than 500 bytes");
  out.address = {{lat, lon}, text};
  if (!body.contains("payment") || !body["payment"].is_object())
    return invalid("payment {method: \"card\", token} is required");
  auto& p = body["payment"];
  if (!p.contains("method") || p["method"] != "card")
    return invalid("payment method must be \"card\"");
  if (!p.contains("token") || !p["token"].is_string() ||
      !valid_token_shape(p["token"].get<std::string>()))
    return invalid("payment token must look like tok_...");
  out.payment_token = p["token"].get<std::string>();
  return out;
}

bool valid_idempotency_key(std::string_view key) {
  if (key.empty() || key.size() > 255)
    return false;
  for (unsigned char c : key)
    if (c < 0x21 || c > 0x7e)
      return false;
  return true;
}

} // namespace berry::http
