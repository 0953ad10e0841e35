#include "node/import_line.hpp"

#include <nlohmann/json.hpp>

#include "http/routes_admin.hpp"

namespace berry {

namespace {

using nlohmann::json;

constexpr size_t max_external_id = 255;

import_refusal refuse(std::string why) {
  return import_refusal{std::move(why)};
}

} // namespace

std::variant<storage::import_item, import_refusal>
read_import_line(std::string_view text, int64_t line_no,
                 const import_names& names, int64_t created_at) {
  auto j = json::parse(text, nullptr, false);
  if (j.is_discarded())
    return refuse("not valid JSON");
  if (!j.is_object())
    return refuse("not a JSON object");
  storage::import_item out;
  out.line = line_no;
  auto ext = j.find("external_id");
  if (ext == j.end() || !ext->is_string() || ext->empty() ||
      ext->get_ref<const std::string&>().size() > max_external_id)
    return refuse("external_id must be a string of 1 to 255 bytes");
  out.external_id = ext->get<std::string>();
  if (!j.contains("description"))
    return refuse("description is required");
  auto p = http::apply_product_body(j, {}, true, names.categories);
  if (!p)
    return refuse(p.error().detail);
  out.item = std::move(*p);
  out.item.created_at = created_at;
  auto stock = j.find("stock");
  if (stock == j.end() || !stock->is_object())
    return refuse("stock must be an object of warehouse id -> on_hand");
  for (const auto& [warehouse, on_hand] : stock->items()) {
    if (!names.warehouses.count(warehouse))
      return refuse("stock: unknown warehouse " + warehouse);
    auto n = http::parse_on_hand(json{{"on_hand", on_hand}});
    if (!n)
      return refuse("stock." + warehouse + ": " + n.error().detail);
    out.stock.emplace_back(warehouse, *n);
  }
  return out;
}

} // namespace berry
