#include "examples/demo/catalog_lines.hpp"

#include <algorithm>
#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "examples/demo/demo_data.hpp"
#include "examples/demo/products.hpp"

namespace berry::demo {

namespace {

/// One to three distinct warehouses of `total`, each with 0..200 units
/// (skewed low); about one product in a hundred is sold out everywhere.
nlohmann::json draw_stock(const std::vector<warehouse_info>& hubs,
                          demo_rng& rng) {
  auto stock = nlohmann::json::object();
  bool sold_out = rng.chance(1);
  auto count = std::min<size_t>(hubs.size(), 1 + rng.below(3));
  auto first = rng.below(hubs.size());
  for (size_t i = 0; i < count; ++i) {
    auto units = std::min({rng.below(201), rng.below(201)});
    stock[hubs[(first + i * 3) % hubs.size()].id] =
        sold_out ? 0 : std::max<uint64_t>(1, units);
  }
  return stock;
}

} // namespace

void write_catalog_lines(std::ostream& out, size_t count, uint32_t seed) {
  product_drawer drawer;
  const auto& leaves = drawer.leaves();
  auto hubs = make_demo_data(seed).warehouses;
  demo_rng rng{(static_cast<uint64_t>(seed) << 8) ^ 0xC47A1065ULL};
  for (size_t i = 1; i <= count; ++i) {
    auto p = drawer.draw(leaves[rng.below(leaves.size())], rng);
    nlohmann::json line{{"external_id", numbered_id("demo-", i, 7)},
                        {"title", std::move(p.title)},
                        {"description", std::move(p.description)},
                        {"category_id", std::move(p.category_id)},
                        {"price", {{"amount", p.price}, {"currency", "RUB"}}},
                        {"stock", draw_stock(hubs, rng)}};
    out << line.dump() << '\n';
  }
}

} // namespace berry::demo
