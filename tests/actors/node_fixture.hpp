#pragma once

// A whole Berry node on CAF's deterministic testing scheduler: a real
// SQLite file, the journal, the catalog, two warehouses, the payment
// provider and actor, the carts and the order manager, all running on the
// test's thread with time that moves only when the test moves it.

#include <filesystem>
#include <optional>
#include <random>

#include "actors/cart.hpp"
#include "actors/catalog.hpp"
#include "actors/dispatcher.hpp"
#include "actors/order_manager.hpp"
#include "actors/payment.hpp"
#include "actors/payment_provider.hpp"
#include "actors/supervisor.hpp"
#include "actors/tracking.hpp"
#include "actors/warehouse.hpp"
#include "fixture.hpp"
#include "storage/catalog_repo.hpp"
#include "storage/database.hpp"
#include "storage/journal.hpp"
#include "storage/order_repo.hpp"
#include "storage/payment_repo.hpp"
#include "storage/stock_repo.hpp"
#include "storage/store.hpp"

namespace berry::test {

/// Where the test orders go: near the Kremlin.
inline const geo_point kremlin{55.7520, 37.6175};

/// Knobs of a test node.
struct node_options {
  int64_t kettles = 3; ///< units of p-kettle, all in the near warehouse
  int64_t pans = 10;   ///< units of p-pan, in the far warehouse
  std::chrono::milliseconds reservation_ttl{std::chrono::minutes(15)};
  std::chrono::milliseconds payment_step_timeout{5000};
  std::function<bool(const payment_request&)> drop_reply;
  /// Paid orders are delivered by a dispatcher and couriers, at 100x.
  bool logistics = false;
};

/// The couriers of a node with logistics: one near the warehouse, one far.
inline const std::vector<courier_info> test_couriers{
    {"k-near", "Ближний", {55.7650, 37.6400}},
    {"k-far", "Дальний", {55.6000, 37.4000}}};

/// A node of real actors on the testing scheduler.
struct node_fixture : actor_fixture {
  std::string dir;
  std::string db_path;
  node_options opts;
  journal_actor journal;
  catalog_actor catalog;
  catalog_snapshot_ptr snapshot;
  /// The warehouses as everyone holds them: their supervisors.
  std::map<std::string, warehouse_actor> warehouses;
  /// The warehouse actors behind the supervisors, latest first start.
  std::map<std::string, caf::actor> warehouse_children;
  std::vector<warehouse_info> warehouse_infos{
      {"w-near", "Близкий", {55.7600, 37.6300}},
      {"w-far", "Дальний", {55.3226, 37.5526}}};
  provider_actor provider;
  payment_actor payments;
  cart_manager_actor carts;
  order_manager_actor orders;
  /// The dispatcher as everyone holds it (its supervisor), and the actor
  /// behind it.
  dispatcher_actor dispatcher;
  caf::actor dispatcher_child;
  tracking_actor tracking;
  logistics_params logistics;
  /// The latest actor of each courier.
  std::map<std::string, courier_actor> courier_actors;
  /// The latest actor of each order.
  std::map<std::string, order_actor> order_actors;

  explicit node_fixture(node_options o = {}) : opts(std::move(o)) {
    std::random_device rd;
    dir = (std::filesystem::temp_directory_path() /
           ("berry-node-" + std::to_string(rd())))
              .string();
    db_path = storage::prepare_store(dir).db;
    seed();
    start();
  }

  ~node_fixture() {
    stop();
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }

  /// Writes the rows the node starts from.
  void seed() {
    auto db = storage::database::open(db_path);
    db.exec("INSERT INTO categories (id, name) VALUES ('c-home', 'Дом');"
            "INSERT INTO products VALUES ('p-kettle', 'Чайник', 'Стекло',"
            " 'c-home', 199000, 0);"
            "INSERT INTO products VALUES ('p-pan', 'Сковорода', 'Чугун',"
            " 'c-home', 249000, 0);"
            "INSERT INTO users VALUES ('u-1', 'a@b.ru', 'Аня', 'customer',"
            " 'h', 0);"
            "INSERT INTO users VALUES ('u-2', 'c@d.ru', 'Боря', 'customer',"
            " 'h', 0);");
    for (auto& w : warehouse_infos)
      storage::execute(db, storage::upsert_warehouse(w));
    storage::execute(
        db, storage::put_stock({"w-near", "p-kettle", opts.kettles, 0}));
    storage::execute(db, storage::put_stock({"w-far", "p-pan", opts.pans, 0}));
    if (opts.logistics)
      for (auto& c : test_couriers)
        storage::execute(db, storage::upsert_courier(c));
  }

  /// Spawns every actor from what the database holds, like main does.
  void start() {
    storage::journal_options jo{db_path, "full", 512};
    jo.detached = false;
    journal = storage::spawn_journal(sys, jo);
    auto db = storage::database::open(db_path, storage::open_mode::read_only);
    catalog_init ci;
    ci.categories = storage::load_categories(db);
    ci.products = storage::load_products(db);
    ci.expected_warehouses = warehouse_infos.size();
    ci.publisher = [this](catalog_snapshot_ptr s) { snapshot = std::move(s); };
    ci.journal = journal;
    catalog = spawn_catalog(sys, std::move(ci));
    for (auto& w : warehouse_infos) {
      supervisor_init si;
      si.name = "warehouse " + w.id;
      si.journal = journal;
      si.start = [this, w](caf::actor_system& s) {
        auto wi = warehouse_init_from(db_path, w);
        wi.journal = journal;
        wi.catalog = catalog;
        wi.reservation_ttl = opts.reservation_ttl;
        return caf::actor_cast<caf::actor>(spawn_warehouse(s, std::move(wi)));
      };
      si.on_start = [this, id = w.id](const caf::actor& child) {
        warehouse_children[id] = child;
      };
      warehouses[w.id] = caf::actor_cast<warehouse_actor>(
          spawn_supervisor(sys, std::move(si)));
    }
    provider_init pi;
    pi.journal = journal;
    pi.load = [path = db_path] {
      auto conn = storage::database::open(path, storage::open_mode::read_only);
      return storage::load_provider_payments(conn);
    };
    pi.drop_reply = opts.drop_reply;
    provider = spawn_provider(sys, std::move(pi));
    payment_init pay;
    pay.provider = provider;
    pay.step_timeout = opts.payment_step_timeout;
    payments = spawn_payment(sys, pay);
    cart_manager_init cm;
    cm.journal = journal;
    cm.load = sqlite_cart_loader(db_path);
    cm.detached = false;
    carts = spawn_cart_manager(sys, std::move(cm));
    order_manager_init om;
    om.deps.journal = journal;
    om.deps.payments = payments;
    om.deps.carts = carts;
    om.deps.warehouse_infos = warehouse_infos;
    om.deps.warehouses = warehouses;
    if (opts.logistics) {
      // Supervised as in main: a crashed dispatcher starts again from the
      // couriers' stored positions.
      logistics.time_scale = 100;
      supervisor_init si;
      si.name = "dispatcher";
      si.journal = journal;
      si.start = [this](caf::actor_system& s) {
        auto db =
            storage::database::open(db_path, storage::open_mode::read_only);
        dispatcher_init di;
        di.couriers = storage::load_couriers(db);
        di.journal = journal;
        di.params = logistics;
        di.on_spawn = [this](const std::string& id, const courier_actor& c) {
          courier_actors[id] = c;
        };
        return caf::actor_cast<caf::actor>(spawn_dispatcher(s, std::move(di)));
      };
      si.on_start = [this](const caf::actor& child) {
        dispatcher_child = child;
      };
      dispatcher = caf::actor_cast<dispatcher_actor>(
          spawn_supervisor(sys, std::move(si)));
      om.deps.dispatcher = dispatcher;
      tracking = spawn_tracking(sys);
      om.deps.tracking = tracking;
    }
    om.catalog = [this] { return snapshot; };
    om.db_path = db_path;
    om.detached = false;
    om.on_spawn = [this](const std::string& id, const order_actor& a) {
      order_actors[id] = a;
    };
    orders = spawn_order_manager(sys, std::move(om));
    sched.run();
  }

  /// Stops every actor (a node going down).
  void stop() {
    for (auto& [id, w] : warehouses)
      caf::anon_send_exit(w, caf::exit_reason::kill);
    for (auto& [id, w] : warehouse_children)
      caf::anon_send_exit(w, caf::exit_reason::kill);
    caf::anon_send_exit(orders, caf::exit_reason::kill);
    // A killed manager cannot take its orders down: kill them too, or a
    // paid one would keep handing its delivery to a dead dispatcher.
    for (auto& [id, o] : order_actors)
      caf::anon_send_exit(o, caf::exit_reason::kill);
    if (dispatcher)
      caf::anon_send_exit(dispatcher, caf::exit_reason::kill);
    if (dispatcher_child)
      caf::anon_send_exit(dispatcher_child, caf::exit_reason::kill);
    if (tracking)
      caf::anon_send_exit(tracking, caf::exit_reason::kill);
    for (auto& [id, c] : courier_actors)
      caf::anon_send_exit(c, caf::exit_reason::kill);
    caf::anon_send_exit(carts, caf::exit_reason::kill);
    caf::anon_send_exit(payments, caf::exit_reason::kill);
    caf::anon_send_exit(provider, caf::exit_reason::kill);
    caf::anon_send_exit(catalog, caf::exit_reason::kill);
    caf::anon_send_exit(journal, caf::exit_reason::kill);
    drain();
  }

  /// Asks the order manager `xs...`; the answer (or error) lands in `out`.
  template <class... Ts>
  void ask_orders(std::optional<caf::expected<order_record>>& out, Ts... xs) {
    auto target = orders;
    sys.spawn([=, &out](caf::event_based_actor* self) {
      self->request(target, caf::infinite, xs...)
          .then(
              [&out](order_record& r) { out = std::move(r); },
              [&out](caf::error& e) { out = caf::expected<order_record>{e}; });
    });
  }

  /// Asks the order manager `(atom, user, id)`, runs the node for `d` and
  /// returns the answer (unavailable when none came).
  template <class Atom>
  caf::expected<order_record> ask_for(Atom atom, const std::string& id,
                                      std::chrono::milliseconds d,
                                      const std::string& user = "u-1") {
    std::optional<caf::expected<order_record>> out;
    ask_orders(out, atom, user, id);
    run_for(d);
    if (!out)
      return caf::make_error(berry_errc::unavailable, "no answer");
    return std::move(*out);
  }

  /// A checkout request of `qty` units of `product`.
  checkout_request checkout(const std::string& key, const std::string& product,
                            int32_t qty, const std::string& token,
                            const std::string& user = "u-1") {
    checkout_request r;
    r.user_id = user;
    r.idempotency_key = key;
    r.request_hash = key + product + std::to_string(qty) + token;
    r.lines = {{product, qty}};
    r.address = {kremlin, "Москва"};
    r.payment_token = token;
    return r;
  }

  /// Checks out and lets the saga run for `d`; the order as stored then.
  order_record place(const checkout_request& r,
                     std::chrono::milliseconds d = std::chrono::seconds(5)) {
    std::optional<caf::expected<order_record>> created;
    ask_orders(created, checkout_atom_v, r);
    run_for(d);
    if (!created || !*created)
      throw std::runtime_error("checkout failed");
    return stored((**created).id);
  }

  /// The order as the database has it.
  order_record stored(const std::string& id) {
    auto db = storage::database::open(db_path, storage::open_mode::read_only);
    auto rec = storage::load_order(db, id);
    if (!rec)
      throw std::runtime_error("no order " + id);
    return *rec;
  }

  /// One number from the database.
  int64_t query(const std::string& sql) {
    auto db = storage::database::open(db_path, storage::open_mode::read_only);
    auto st = db.prepare(sql);
    st.step();
    return st.col_int(0);
  }

  int64_t on_hand(const std::string& product) {
    return query("SELECT COALESCE(SUM(on_hand), 0) FROM stock WHERE"
                 " product_id = '" +
                 product + "'");
  }

  int64_t reserved(const std::string& product) {
    return query("SELECT COALESCE(SUM(reserved), 0) FROM stock WHERE"
                 " product_id = '" +
                 product + "'");
  }

  int64_t payments_of(const std::string& order, const std::string& kind,
                      const std::string& status) {
    return query("SELECT COUNT(*) FROM provider_payments WHERE order_id = '" +
                 order + "' AND kind = '" + kind + "' AND status = '" + status +
                 "'");
  }
};

} // namespace berry::test
