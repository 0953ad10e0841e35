#pragma once

// A whole Berry node on CAF's deterministic testing scheduler: a real
// SQLite file, the journal, the catalog, two warehouses, the payment
// provider and actor, the carts and the order manager (and, when asked, the
// dispatcher with its couriers and tracking), spawned by node/node_actors as
// `berry serve` spawns them, all running on the test's thread with time that
// moves only when the test moves it.

#include <filesystem>
#include <optional>
#include <random>

#include "actors/logistics.hpp"
#include "fixture.hpp"
#include "node/node_actors.hpp"
#include "protocols/errors.hpp"
#include "storage/catalog_repo.hpp"
#include "storage/database.hpp"
#include "storage/order_repo.hpp"
#include "storage/stock_repo.hpp"
#include "storage/store.hpp"
#include "support/test_store.hpp"

namespace berry::test {

/// Where the test orders go: near the Kremlin.
inline const geo_point kremlin{55.7520, 37.6175};

/// Knobs of a test node.
struct node_options {
  int64_t kettles = 3; ///< units of p-kettle, all in the near warehouse
  int64_t pans = 10;   ///< units of p-pan, in the far warehouse
  std::chrono::milliseconds reservation_ttl{std::chrono::minutes(15)};
  std::chrono::milliseconds payment_step_timeout{5000};
  /// How long the built-in provider takes to answer (--payment-latency-ms).
  std::chrono::milliseconds payment_latency{20};
  std::function<bool(const payment_request&)> drop_reply;
  /// Paid orders are delivered by a dispatcher and couriers, at 100x.
  bool logistics = false;
  /// How long a checkout waits for its order (0: answers the new order).
  std::chrono::milliseconds checkout_deadline{0};
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
  /// The node's actors as everyone holds them (warehouses and the
  /// dispatcher: their supervisors).
  node_actors actors;
  /// The warehouses the node starts with.
  std::vector<warehouse_info> warehouse_infos{
      {"w-near", "Близкий", {55.7600, 37.6300}},
      {"w-far", "Дальний", {55.3226, 37.5526}}};
  /// The warehouse actors behind the supervisors, latest first start.
  std::map<std::string, caf::actor> warehouse_children;
  /// The dispatcher actor behind its supervisor.
  caf::actor dispatcher_child;
  /// Couriers ride at 100x (only a node with logistics has them).
  logistics_params logistics{100};
  /// The latest actor of each courier.
  std::map<std::string, courier_actor> courier_actors;
  /// The latest actor of each order.
  std::map<std::string, order_actor> order_actors;

  explicit node_fixture(node_options o = {}) : opts(std::move(o)) {
    std::random_device rd;
    dir = (std::filesystem::temp_directory_path() /
           ("berry-node-" + std::to_string(rd())))
              .string();
    // SQLite in the dir, or a fresh PostgreSQL database in the reruns.
    db_path = storage::prepare_store(dir, fresh_store_location()).db;
    seed();
    start();
  }

  ~node_fixture() {
    stop();
    reader_db.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }

  /// Writes the rows the node starts from.
  void seed() {
    auto db = storage::database::open(db_path);
    db.exec("INSERT INTO categories (id, name) VALUES ('c-home', 'Дом');"
            "INSERT INTO products (id, title, description, category_id, price, "
            "created_at) VALUES ('p-kettle', 'Чайник', 'Стекло',"
            " 'c-home', 199000, 0);"
            "INSERT INTO products (id, title, description, category_id, price, "
            "created_at) VALUES ('p-pan', 'Сковорода', 'Чугун',"
            " 'c-home', 249000, 0);"
            "INSERT INTO users VALUES ('u-1', 'a@b.ru', 'Аня', 'customer',"
            " 'h', 0, 0);"
            "INSERT INTO users VALUES ('u-2', 'c@d.ru', 'Боря', 'customer',"
            " 'h', 0, 0);");
    for (auto& w : warehouse_infos)
      storage::execute(db, storage::upsert_warehouse(w));
    storage::execute(
        db, storage::put_stock({"w-near", "p-kettle", opts.kettles, 0}));
    storage::execute(db, storage::put_stock({"w-far", "p-pan", opts.pans, 0}));
    if (opts.logistics)
      for (auto& c : test_couriers)
        storage::execute(db, storage::upsert_courier(c));
  }

  /// Spawns every actor from what the database holds, as `berry serve`
  /// does, on the testing scheduler.
  void start() {
    server_config cfg;
    cfg.data_dir = dir;
    cfg.reservation_ttl = opts.reservation_ttl;
    cfg.payment_timeout = opts.payment_step_timeout;
    cfg.payment_latency = opts.payment_latency;
    cfg.checkout_deadline = opts.checkout_deadline;
    // Crowds of one buyer's checkouts at once: the per-user business limits
    // have tests of their own (integration/checkout_limits_test.cpp).
    cfg.abuse.rate_limits = false;
    cfg.time_scale = logistics.time_scale;
    node_setup setup;
    setup.detached = false;
    setup.logistics = opts.logistics;
    setup.drop_reply = opts.drop_reply;
    setup.on_warehouse = [this](const std::string& id, const caf::actor& a) {
      warehouse_children[id] = a;
    };
    setup.on_dispatcher = [this](const caf::actor& a) { dispatcher_child = a; };
    setup.on_courier = [this](const std::string& id, const courier_actor& a) {
      courier_actors[id] = a;
    };
    setup.on_order = [this](const std::string& id, const order_actor& a) {
      order_actors[id] = a;
    };
    actors = spawn_node_actors(sys, cfg, db_path, setup);
    sched.run();
  }

  /// Kills every actor (a node that crashes).
  void stop() {
    for (auto& [id, w] : actors.warehouses)
      caf::anon_send_exit(w, caf::exit_reason::kill);
    for (auto& [id, w] : warehouse_children)
      caf::anon_send_exit(w, caf::exit_reason::kill);
    caf::anon_send_exit(actors.orders, caf::exit_reason::kill);
    // A killed manager cannot take its orders down: kill them too, or a
    // paid one would keep handing its delivery to a dead dispatcher.
    for (auto& [id, o] : order_actors)
      caf::anon_send_exit(o, caf::exit_reason::kill);
    if (actors.dispatcher)
      caf::anon_send_exit(actors.dispatcher, caf::exit_reason::kill);
    if (dispatcher_child)
      caf::anon_send_exit(dispatcher_child, caf::exit_reason::kill);
    if (actors.tracking)
      caf::anon_send_exit(actors.tracking, caf::exit_reason::kill);
    for (auto& [id, c] : courier_actors)
      caf::anon_send_exit(c, caf::exit_reason::kill);
    caf::anon_send_exit(actors.carts, caf::exit_reason::kill);
    caf::anon_send_exit(actors.payments, caf::exit_reason::kill);
    caf::anon_send_exit(actors.provider, caf::exit_reason::kill);
    caf::anon_send_exit(actors.catalog, caf::exit_reason::kill);
    caf::anon_send_exit(actors.journal, caf::exit_reason::kill);
    drain();
  }

  /// Asks the order manager `xs...`; the answer (or error) lands in `out`.
  template <class... Ts>
  void ask_orders(std::optional<caf::expected<order_record>>& out, Ts... xs) {
    auto target = actors.orders;
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

  /// The test's own read connection, opened at its first read and kept: a
  /// test that polls the database at every 10 ms step of a ride would
  /// otherwise connect thousands of times (on PostgreSQL, a new backend
  /// each).
  std::optional<storage::database> reader_db;
  storage::database& reader() {
    if (!reader_db)
      reader_db.emplace(
          storage::database::open(db_path, storage::open_mode::read_only));
    return *reader_db;
  }

  /// The order as the database has it.
  order_record stored(const std::string& id) {
    auto rec = storage::load_order(reader(), id);
    if (!rec)
      throw std::runtime_error("no order " + id);
    return *rec;
  }

  /// One number from the database.
  int64_t query(const std::string& sql) {
    auto st = reader().prepare(sql);
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
