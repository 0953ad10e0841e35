// Where a warehouse meets its storage outside the journal: what it starts
// from, and how it finds a settled hold that already left its memory.

#include "actors/warehouse.hpp"

#include <memory>
#include <utility>

#include "storage/catalog_repo.hpp"
#include "storage/database.hpp"
#include "storage/stock_repo.hpp"

namespace berry {

namespace {

/// One read-only connection and its prepared statements.
struct hold_reader {
  storage::database db;
  storage::statement_cache cache{db};
  explicit hold_reader(const std::string& path)
      : db(storage::database::open(path, storage::open_mode::read_only)) {}
};

} // namespace

hold_finder sqlite_hold_finder(std::string db_path, std::string warehouse_id) {
  auto reader = std::make_shared<std::unique_ptr<hold_reader>>();
  return [reader, path = std::move(db_path), wid = std::move(warehouse_id)](
             const std::string& order_id) -> std::optional<order_hold> {
    try {
      if (!*reader)
        *reader = std::make_unique<hold_reader>(path);
      auto row = storage::find_warehouse_hold((*reader)->cache, order_id, wid);
      if (!row)
        return std::nullopt;
      return order_hold{row->state, std::move(row->held.lines),
                        row->held.expires_at_ms};
    } catch (...) {
      reader->reset(); // the next lookup opens a fresh connection
      throw;
    }
  };
}

warehouse_init warehouse_init_from(const std::string& db_path,
                                   warehouse_info info) {
  auto db = storage::database::open(db_path, storage::open_mode::read_only);
  warehouse_init init;
  init.stock = storage::load_stock(db, info.id);
  init.reservations = storage::load_live_reservations(db, info.id);
  init.find_hold = sqlite_hold_finder(db_path, info.id);
  init.info = std::move(info);
  return init;
}

} // namespace berry
