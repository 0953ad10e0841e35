#pragma once

// A warehouse on the testing scheduler with a real journal over a temporary
// SQLite file, a real catalog that hands its snapshots to the test, and the
// helpers to ask it things and to look at the database.

#include <atomic>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <unistd.h>

#include "actors/catalog.hpp"
#include "actors/warehouse.hpp"
#include "fixture.hpp"
#include "storage/catalog_repo.hpp"
#include "storage/database.hpp"
#include "storage/journal.hpp"
#include "storage/migrations.hpp"
#include "storage/stock_repo.hpp"

namespace berry::test {

/// A migrated database file with a category, products p-1 and p-2 and
/// warehouse w-1; removed at the end. A base class, so it outlives the
/// actor system that writes it.
struct temp_db {
  std::string path;
  temp_db() {
    static std::atomic<int> counter{0};
    path = (std::filesystem::temp_directory_path() /
            ("berry-wh-" + std::to_string(::getpid()) + "-" +
             std::to_string(counter++) + ".db"))
               .string();
    auto db = storage::database::open(path);
    storage::migrate(db);
    storage::execute(db, storage::upsert_category({"c-1", "Дом", "", 0}));
    storage::execute(db, storage::upsert_product(
                             {"p-1", "Чайник", "Стекло", "c-1", 199000, 1}));
    storage::execute(db, storage::upsert_product(
                             {"p-2", "Кружка", "Фарфор", "c-1", 49000, 1}));
    storage::execute(
        db, storage::upsert_warehouse({"w-1", "Подольск", {55.43, 37.54}}));
  }
  ~temp_db() {
    for (auto suffix : {"", "-wal", "-shm"})
      std::filesystem::remove(path + suffix);
  }
};

/// An actor's answer, once it came.
template <class T>
struct reply {
  std::optional<T> value;
  caf::error error;
  /// The berry_errc of the error (none when there is a value).
  berry_errc code() const {
    return value ? berry_errc::none : static_cast<berry_errc>(error.code());
  }
  /// The readable detail of the error.
  std::string detail() const {
    auto& ctx = error.context();
    return ctx.size() == 1 && ctx.match_element<std::string>(0)
               ? ctx.get_as<std::string>(0)
               : std::string{};
  }
};

/// The warehouse fixture; `ttl` is the reservation time.
struct warehouse_fixture : temp_db, actor_fixture {
  std::chrono::milliseconds ttl{60000};
  journal_actor journal;
  catalog_actor catalog;
  warehouse_actor wh;
  std::vector<catalog_snapshot_ptr> published;
  /// The orders the warehouse looked up in storage, in order.
  std::vector<std::string> lookups;

  warehouse_fixture() {
    journal = storage::spawn_journal(sys, {path, "full", 512, false});
    catalog_init init;
    init.categories = {{"c-1", "Дом", "", 0}};
    init.products = {{"p-1", "Чайник", "Стекло", "c-1", 199000, 1},
                     {"p-2", "Кружка", "Фарфор", "c-1", 49000, 1}};
    init.expected_warehouses = 1;
    init.publisher = [this](catalog_snapshot_ptr s) { published.push_back(s); };
    init.journal = journal;
    catalog = spawn_catalog(sys, std::move(init));
  }

  ~warehouse_fixture() {
    if (wh)
      caf::anon_send_exit(wh, caf::exit_reason::user_shutdown);
    caf::anon_send_exit(catalog, caf::exit_reason::user_shutdown);
    caf::anon_send(journal, caf::close_atom_v);
  }

  /// Stores on-hand units of both products, then starts the warehouse.
  void start(int64_t p1, int64_t p2 = 0) {
    auto db = storage::database::open(path);
    storage::execute(db, storage::put_stock({"w-1", "p-1", p1, 0}));
    storage::execute(db, storage::put_stock({"w-1", "p-2", p2, 0}));
    wh = spawn_from_storage();
    sched.run();
  }

  /// A warehouse started from what is stored, as main does it.
  warehouse_actor spawn_from_storage() {
    auto init = warehouse_init_from(path, {"w-1", "Подольск", {55.43, 37.54}});
    init.journal = journal;
    init.catalog = catalog;
    init.reservation_ttl = ttl;
    init.find_hold = [this, find = init.find_hold](const std::string& id) {
      lookups.push_back(id);
      return find(id);
    };
    return spawn_warehouse(sys, std::move(init));
  }

  /// Sends a request to `dest`; the reply fills in once the test runs.
  template <class T, class Handle, class... Ts>
  std::shared_ptr<reply<T>> send(const Handle& dest, Ts... xs) {
    auto r = std::make_shared<reply<T>>();
    sys.spawn([=](caf::event_based_actor* self) {
      self->request(dest, caf::infinite, xs...)
          .then([=](T& x) { r->value = std::move(x); },
                [=](caf::error& e) { r->error = std::move(e); });
    });
    return r;
  }

  /// Sends a request to `dest` and runs until everything is answered.
  template <class T, class Handle, class... Ts>
  reply<T> ask(const Handle& dest, Ts... xs) {
    auto r = send<T>(dest, xs...);
    sched.run();
    return *r;
  }

  /// Reserves `lines` (product, qty) for `order_id` at the warehouse.
  std::shared_ptr<reply<reservation>>
  send_reserve(const std::string& order_id,
               std::vector<std::pair<std::string, int32_t>> lines) {
    reserve_request r{order_id, {}};
    for (auto& [pid, qty] : lines)
      r.lines.push_back({pid, qty, 100, "w-1"});
    return send<reservation>(wh, reserve_atom_v, r);
  }

  reply<reservation>
  reserve(const std::string& order_id,
          std::vector<std::pair<std::string, int32_t>> lines) {
    auto r = send_reserve(order_id, std::move(lines));
    sched.run();
    return *r;
  }

  /// The stock row of `pid` in the database ({-1, -1} when missing).
  stock_level db_stock(const std::string& pid) {
    auto db = storage::database::open(path, storage::open_mode::read_only);
    for (auto& s : storage::load_stock(db, "w-1"))
      if (s.product_id == pid)
        return s;
    return {"w-1", pid, -1, -1};
  }

  /// What the database says the warehouse did for `order_id` (none if
  /// nothing).
  hold_state db_order_state(const std::string& order_id) {
    auto db = storage::database::open(path, storage::open_mode::read_only);
    for (auto& row : storage::load_warehouse_orders(db, "w-1"))
      if (row.order_id == order_id)
        return row.state;
    return {};
  }

  /// The stored reservation lines of `order_id`.
  size_t db_reservation_lines(const std::string& order_id) {
    auto db = storage::database::open(path, storage::open_mode::read_only);
    for (auto& r : storage::load_reservations(db, "w-1"))
      if (r.order_id == order_id)
        return r.lines.size();
    return 0;
  }

  /// Stock as the warehouse itself sees it.
  stock_level live_stock(const std::string& pid) {
    return *ask<stock_level>(wh, stock_atom_v, caf::get_atom_v, pid).value;
  }
};

} // namespace berry::test
