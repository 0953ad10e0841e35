// The catalog's pure state: products in chunks shared with the snapshots,
// and availability as one flat column of units per warehouse.

#include <algorithm>
#include <cstdio>

#include "actors/catalog.hpp"

namespace berry {

size_t catalog_state::column(const std::string& warehouse_id) {
  auto i = std::find(warehouses.begin(), warehouses.end(), warehouse_id);
  if (i != warehouses.end())
    return static_cast<size_t>(i - warehouses.begin());
  warehouses.push_back(warehouse_id);
  stock.emplace_back(rows, 0);
  return warehouses.size() - 1;
}

int64_t catalog_state::sum(uint32_t row) const {
  int64_t out = 0;
  for (auto& col : stock)
    out += col[row] > 0 ? col[row] : 0;
  return out;
}

namespace {

/// The items of `r` in product-id order (a later report of one product
/// after an earlier one): a whole warehouse's report, walked in the order
/// of the catalog's chunks, finds its products in memory that is already
/// at hand rather than a chunk in another place for every item.
std::vector<const product_availability*>
in_id_order(const availability_report& r) {
  std::vector<const product_availability*> out;
  out.reserve(r.items.size());
  for (auto& item : r.items)
    out.push_back(&item);
  std::sort(out.begin(), out.end(), [](const auto* a, const auto* b) {
    int c = a->product_id.compare(b->product_id);
    return c < 0 || (c == 0 && a < b);
  });
  return out;
}

} // namespace

void catalog_state::apply(const availability_report& r) {
  reported.insert(r.warehouse_id);
  auto col = column(r.warehouse_id);
  for (auto* at : in_id_order(r)) {
    const auto& item = *at;
    const auto& e = products.find(item.product_id);
    if (!e) {
      unplaced[{item.product_id, col}] = item.available;
      continue;
    }
    stock[col][e->row] = item.available;
    auto now = sum(e->row);
    if (now == e->available)
      continue;
    if (!last) {
      // Nothing published yet, so no reader holds the entry: change it in
      // place (put() made it non-const) rather than copy the product once
      // per warehouse while the node starts.
      std::const_pointer_cast<catalog_entry>(e)->available = now;
    } else {
      products.put(std::make_shared<const catalog_entry>(
          catalog_entry{e->item, now, e->row}));
    }
    ++dirty;
  }
}

std::vector<stock_level>
catalog_state::where(const std::vector<std::string>& product_ids) const {
  std::vector<stock_level> out;
  for (auto& id : product_ids) {
    const auto& e = products.find(id);
    for (size_t col = 0; col < warehouses.size(); ++col) {
      int64_t units = 0;
      if (e) {
        units = stock[col][e->row];
      } else if (auto i = unplaced.find({id, col}); i != unplaced.end()) {
        units = i->second;
      }
      if (units > 0)
        out.push_back({warehouses[col], id, units, 0});
    }
  }
  return out;
}

int64_t catalog_state::available(const std::string& product_id) const {
  if (const auto& e = products.find(product_id))
    return e->available;
  int64_t out = 0;
  for (auto i = unplaced.lower_bound({product_id, 0});
       i != unplaced.end() && i->first.first == product_id; ++i)
    out += i->second > 0 ? i->second : 0;
  return out;
}

catalog_snapshot_ptr catalog_state::build() {
  auto next = std::make_shared<catalog_snapshot>();
  next->version = last ? last->version + 1 : 1;
  // The last snapshot's list when the categories did not change (they
  // rarely do): one reference instead of a copy of every name.
  if (last && same_categories(last->categories, categories))
    next->categories = last->categories;
  else
    next->categories = categories;
  next->products = products.publish();
  dirty = 0;
  last = next;
  return next;
}

std::string catalog_state::check(const product& p) const {
  // Characters, not bytes: a Cyrillic letter is two bytes of UTF-8.
  auto chars = std::count_if(p.title.begin(), p.title.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  });
  if (chars < 1 || chars > 200)
    return "title must have 1 to 200 characters";
  auto same = [&](const category& c) { return c.id == p.category_id; };
  if (std::none_of(categories.begin(), categories.end(), same))
    return "no such category: " + p.category_id;
  if (p.price < 0)
    return "price must be at least 0";
  return {};
}

void catalog_state::put(const product& p) {
  put(product{p});
}

void catalog_state::put(product&& p) {
  uint32_t row;
  if (const auto& e = products.find(p.id)) {
    row = e->row;
  } else {
    row = rows++;
    for (size_t col = 0; col < stock.size(); ++col) {
      auto i = unplaced.find({p.id, col});
      stock[col].push_back(i == unplaced.end() ? 0 : i->second);
      if (i != unplaced.end())
        unplaced.erase(i);
    }
  }
  const auto& id = p.id;
  if (id.size() >= 3 && id.size() <= 20 && id.compare(0, 2, "p-") == 0 &&
      id.find_first_not_of("0123456789", 2) == std::string::npos)
    last_number = std::max<uint64_t>(last_number, std::stoull(id.substr(2)));
  // Non-const, so apply() may change it until a snapshot shares it.
  auto available = sum(row);
  products.put(std::make_shared<catalog_entry>(
      catalog_entry{std::move(p), available, row}));
  ++dirty;
}

std::string catalog_state::new_product_id() {
  char buf[32];
  std::snprintf(buf, sizeof buf, "p-%06llu",
                static_cast<unsigned long long>(++last_number));
  return buf;
}

} // namespace berry
