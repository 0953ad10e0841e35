// Where a warehouse meets its storage outside the journal: what it starts
// from, and how it finds a settled hold that already left its memory.

#include "actors/warehouse.hpp"

#include <utility>

#include "storage/catalog_repo.hpp"
#include "storage/database.hpp"
#include "storage/lazy_reader.hpp"
#include "storage/stock_repo.hpp"

namespace berry {

namespace {

/// The hold a stored row describes.
order_hold hold_of(storage::warehouse_hold_row row) {
  return order_hold{row.state, std::move(row.held.lines),
                    row.held.expires_at_ms, row.attempt};
}

} // namespace

hold_finder sqlite_hold_finder(std::string db_path, std::string warehouse_id) {
  return [reader = storage::lazy_reader(std::move(db_path)),
          wid = std::move(warehouse_id)](
             const std::string& order_id) -> std::optional<order_hold> {
    auto row = reader.with([&](storage::statement_cache& cache) {
      return storage::find_warehouse_hold(cache, order_id, wid);
    });
    if (!row)
      return std::nullopt;
    return hold_of(std::move(*row));
  };
}

warehouse_init warehouse_init_from(const std::string& db_path,
                                   warehouse_info info) {
  auto db = storage::database::open(db_path, storage::open_mode::read_only);
  warehouse_init init;
  init.stock = storage::load_stock(db, info.id);
  for (auto& row : storage::load_live_reservations(db, info.id)) {
    auto order_id = row.held.order_id;
    init.reservations.push_back({std::move(order_id), hold_of(std::move(row))});
  }
  init.find_hold = sqlite_hold_finder(db_path, info.id);
  init.info = std::move(info);
  return init;
}

} // namespace berry
