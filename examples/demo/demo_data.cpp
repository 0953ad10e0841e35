#include "examples/demo/demo_data.hpp"

#include <algorithm>
#include <cmath>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "examples/demo/demo_files.hpp"
#include "examples/demo/products.hpp"

namespace berry::demo {

namespace {

using nlohmann::json;

constexpr size_t courier_count = 40;
constexpr double moscow_lat = 55.7558;
constexpr double moscow_lon = 37.6173;
constexpr double courier_radius_km = 17.0;
constexpr double km_per_degree = 111.19492664455873;
constexpr double cos_moscow_lat = 0.5627212498780116;

std::vector<warehouse_info> make_warehouses() {
  std::vector<warehouse_info> result;
  auto places = json::parse(places_json());
  for (const auto& row : places.at("warehouses"))
    result.push_back(warehouse_info{
        row.at("id"), row.at("name"), {row.at("lat"), row.at("lon")}});
  return result;
}

/// Kilometres from the centre of Moscow. A flat-earth approximation, which
/// is plenty at city scale and, unlike sin/cos, the same on every libm.
double km_from_centre(double lat, double lon) {
  auto dy = (lat - moscow_lat) * km_per_degree;
  auto dx = (lon - moscow_lon) * km_per_degree * cos_moscow_lat;
  return std::sqrt(dx * dx + dy * dy);
}

double round6(double degrees) {
  return std::round(degrees * 1e6) / 1e6;
}

/// A point inside the MKAD box, no farther than courier_radius_km.
geo_point point_in_moscow(demo_rng& rng) {
  for (;;) {
    auto lat = round6(55.57 + 0.34 * rng.unit());
    auto lon = round6(37.37 + 0.47 * rng.unit());
    if (km_from_centre(lat, lon) <= courier_radius_km)
      return geo_point{lat, lon};
  }
}

std::vector<courier_info> make_couriers(demo_rng& rng) {
  auto places = json::parse(places_json());
  auto first_names =
      places.at("courier_first_names").get<std::vector<std::string>>();
  auto initials = places.at("surname_initials").get<std::vector<std::string>>();
  std::set<std::string> names;
  std::vector<courier_info> result;
  while (result.size() < courier_count) {
    // The initial is drawn first: the order in which GCC evaluated the one
    // expression that made the names before, so they stay the same.
    const auto& initial = initials[rng.below(initials.size())];
    const auto& first_name = first_names[rng.below(first_names.size())];
    auto name = first_name + " " + initial + ".";
    if (!names.insert(name).second)
      continue;
    auto id = numbered_id("k-", result.size() + 1, 3);
    result.push_back(courier_info{id, name, point_in_moscow(rng)});
  }
  return result;
}

/// Exactly `k` of `n` flags set, chosen uniformly (selection sampling).
std::vector<bool> choose(size_t n, size_t k, demo_rng& rng) {
  std::vector<bool> chosen(n, false);
  for (size_t i = 0; i < n && k > 0; ++i)
    if (rng.below(n - i) < k) {
      chosen[i] = true;
      --k;
    }
  return chosen;
}

/// 0..200, skewed low: the least of three draws.
int64_t skewed_units(demo_rng& rng) {
  auto a = rng.below(201);
  auto b = rng.below(201);
  auto c = rng.below(201);
  return static_cast<int64_t>(std::min({a, b, c}));
}

/// Distinct warehouse indices, 1 to 4 of them (a partial shuffle).
std::vector<size_t> pick_warehouses(size_t total, demo_rng& rng) {
  std::vector<size_t> all(total);
  for (size_t i = 0; i < total; ++i)
    all[i] = i;
  auto count = std::min<size_t>(total, 1 + rng.below(4));
  for (size_t i = 0; i < count; ++i)
    std::swap(all[i], all[i + rng.below(total - i)]);
  all.resize(count);
  return all;
}

std::vector<stock_level> make_stock(const std::vector<product>& products,
                                    const std::vector<warehouse_info>& hubs,
                                    demo_rng& rng) {
  // A handful sold out, so the storefront can show "нет в наличии".
  auto sold_out =
      choose(products.size(), std::max<size_t>(3, products.size() / 100), rng);
  std::vector<stock_level> result;
  for (size_t i = 0; i < products.size(); ++i) {
    auto where = pick_warehouses(hubs.size(), rng);
    for (size_t j = 0; j < where.size(); ++j) {
      int64_t units = sold_out[i] ? 0 : skewed_units(rng);
      if (!sold_out[i] && j == 0)
        units = std::max<int64_t>(1, units);
      result.push_back(
          stock_level{hubs[where[j]].id, products[i].id, units, 0});
    }
  }
  return result;
}

/// Each part draws from its own stream, so that adding a product kind does
/// not move the couriers.
uint64_t stream_seed(uint32_t seed, uint64_t part) {
  return (static_cast<uint64_t>(seed) << 8) ^ (part * 0xD1B54A32D192ED03ULL);
}

} // namespace

storage::marketplace make_demo_data(uint32_t seed) {
  demo_rng product_rng{stream_seed(seed, 1)};
  demo_rng courier_rng{stream_seed(seed, 2)};
  demo_rng stock_rng{stream_seed(seed, 3)};
  storage::marketplace data;
  data.categories = make_categories();
  data.products = make_products(data.categories, product_rng);
  data.warehouses = make_warehouses();
  data.couriers = make_couriers(courier_rng);
  data.stock = make_stock(data.products, data.warehouses, stock_rng);
  return data;
}

} // namespace berry::demo
