// berry: the marketplace server. main only wires: config -> storage ->
// actors -> edge, then waits for SIGTERM/SIGINT and shuts down in order.

#include <csignal>
#include <cstdio>
#include <iostream>
#include <stdexcept>
#include <string>
#include <vector>

#include <caf/all.hpp>

#include "actors/cart.hpp"
#include "actors/catalog.hpp"
#include "actors/dispatcher.hpp"
#include "actors/order_manager.hpp"
#include "actors/payment.hpp"
#include "actors/payment_provider.hpp"
#include "actors/supervisor.hpp"
#include "actors/system_config.hpp"
#include "actors/tracking.hpp"
#include "actors/warehouse.hpp"
#include "config/config.hpp"
#include "config/logging.hpp"
#include "http/auth.hpp"
#include "http/catalog_cache.hpp"
#include "http/metrics.hpp"
#include "http/server.hpp"
#include "storage/accounts_repo.hpp"
#include "storage/catalog_repo.hpp"
#include "storage/database.hpp"
#include "storage/demo_data.hpp"
#include "storage/journal.hpp"
#include "storage/payment_repo.hpp"
#include "storage/stock_repo.hpp"
#include "storage/store.hpp"

namespace {

constexpr const char* usage =
    "usage: berry serve [options]   (berry serve --help)\n";

/// Blocks SIGINT and SIGTERM in every thread started after this, so that
/// only the main thread's sigwait sees them.
sigset_t block_stop_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  return set;
}

/// Seeds an empty database and reads what the actors start from.
berry::storage::demo_data load_marketplace(const berry::server_config& cfg,
                                           const std::string& db_path) {
  namespace st = berry::storage;
  auto db = st::database::open(db_path);
  if (cfg.seed && st::seed_if_empty(db, st::make_demo_data()))
    berry::log::info("seeded demo marketplace", {{"db", db_path}});
  st::demo_data data;
  data.categories = st::load_categories(db);
  data.products = st::load_products(db);
  data.warehouses = st::load_warehouses(db);
  data.couriers = st::load_couriers(db);
  for (auto& w : data.warehouses) {
    auto levels = st::load_stock(db, w.id);
    data.stock.insert(data.stock.end(), levels.begin(), levels.end());
  }
  return data;
}

int serve(const berry::server_config& cfg, sigset_t stop_signals) {
  namespace st = berry::storage;
  auto started = std::chrono::steady_clock::now();

  // Storage.
  auto paths = st::prepare_store(cfg.data_dir);
  auto data = load_marketplace(cfg, paths.db);
  // The admin account, before any actor writes; the password is never logged.
  if (!cfg.admin_email.empty() && !cfg.admin_password.empty()) {
    auto email = berry::http::normalize_email(cfg.admin_email);
    if (!email)
      throw std::runtime_error("BERRY_ADMIN_EMAIL is not a valid email");
    auto db = st::database::open(paths.db);
    st::ensure_admin(db, *email,
                     berry::http::hash_password(cfg.admin_password));
    berry::log::info("admin account ready", {{"email", *email}});
  }
  // Tokens stay valid across restarts: the key lives in the data dir.
  berry::http::token_service tokens{
      berry::http::load_or_create_token_key(paths.dir)};
  berry::http::login_limiter logins;

  // Declared before the actor system, which outlives its last user: the
  // catalog publishes into the cache until the system has stopped.
  berry::http::catalog_cache catalog_cache;
  berry::http::metrics stats;

  // Actors.
  caf::actor_system_config actor_cfg;
  berry::configure_actor_system(actor_cfg);
  caf::actor_system sys{actor_cfg};
  auto journal_counters = std::make_shared<st::journal_counters>();
  auto journal =
      st::spawn_journal(sys, {paths.db, cfg.synchronous, cfg.journal_max_batch},
                        journal_counters);
  // Detached: it rebuilds carts from its own read-only SQLite connection.
  berry::cart_manager_init cart_init;
  cart_init.journal = journal;
  cart_init.load = berry::sqlite_cart_loader(paths.db);
  auto carts = berry::spawn_cart_manager(sys, std::move(cart_init));
  auto catalog = berry::spawn_catalog(
      sys, {data.categories, data.products, data.warehouses.size(),
            [&catalog_cache](berry::catalog_snapshot_ptr snap) {
              catalog_cache.publish(std::move(snap));
            },
            berry::catalog_init{}.publish_delay, journal});
  std::vector<berry::warehouse_actor> warehouses;
  // Each warehouse runs under a supervisor that restarts it from storage
  // (stock, open reservations, what was done for each order) if it crashes;
  // everyone holds the supervisor as the warehouse.
  for (auto& w : data.warehouses) {
    berry::supervisor_init sup;
    sup.name = "warehouse " + w.id;
    sup.journal = journal;
    sup.start = [&cfg, w, db_path = paths.db, journal,
                 catalog](caf::actor_system& s) {
      auto init = berry::warehouse_init_from(db_path, w);
      init.journal = journal;
      init.catalog = catalog;
      init.reservation_ttl = cfg.reservation_ttl;
      return caf::actor_cast<caf::actor>(
          berry::spawn_warehouse(s, std::move(init)));
    };
    warehouses.push_back(caf::actor_cast<berry::warehouse_actor>(
        berry::spawn_supervisor(sys, std::move(sup))));
  }
  // The built-in payment provider reads its books before it starts; the
  // payment actor in front of it is what the order saga talks to.
  berry::provider_init provider_init;
  provider_init.journal = journal;
  provider_init.load = [db = paths.db] {
    auto conn = st::database::open(db, st::open_mode::read_only);
    return st::load_provider_payments(conn);
  };
  auto provider = berry::spawn_provider(sys, std::move(provider_init));
  berry::payment_init payment_init;
  payment_init.provider = provider;
  payment_init.step_timeout = cfg.payment_timeout;
  auto payments = berry::spawn_payment(sys, payment_init);
  // Live tracking: orders publish, tracking sockets subscribe.
  auto tracking = berry::spawn_tracking(sys);
  // Logistics: the dispatcher starts every courier where it was last seen,
  // under a supervisor that starts it again the same way if it crashes (the
  // orders hand their deliveries over again).
  berry::supervisor_init dispatch_sup;
  dispatch_sup.name = "dispatcher";
  dispatch_sup.journal = journal;
  dispatch_sup.start = [&cfg, journal,
                        db_path = paths.db](caf::actor_system& s) {
    auto held = st::database::open(db_path, st::open_mode::read_only);
    berry::dispatcher_init init;
    init.couriers = st::load_couriers(held);
    init.journal = journal;
    init.params.time_scale = cfg.time_scale;
    return caf::actor_cast<caf::actor>(
        berry::spawn_dispatcher(s, std::move(init)));
  };
  auto dispatcher = caf::actor_cast<berry::dispatcher_actor>(
      berry::spawn_supervisor(sys, std::move(dispatch_sup)));
  // Orders: the manager resumes every unfinished order from storage (a
  // delivery under way goes back to its courier, who rides on).
  berry::order_manager_init order_init;
  order_init.deps.journal = journal;
  order_init.deps.payments = payments;
  order_init.deps.carts = carts;
  order_init.deps.warehouse_infos = data.warehouses;
  for (size_t i = 0; i < data.warehouses.size(); ++i)
    order_init.deps.warehouses[data.warehouses[i].id] = warehouses[i];
  order_init.catalog = [&catalog_cache] {
    return catalog_cache.load()->snapshot;
  };
  order_init.deps.dispatcher = dispatcher;
  order_init.deps.tracking = tracking;
  order_init.db_path = paths.db;
  auto order_counters = std::make_shared<berry::order_counters>();
  order_init.counters = order_counters;
  auto orders = berry::spawn_order_manager(sys, std::move(order_init));

  // The edge.
  stats.add_gauge(
      "berry_journal_commits_total", "Transactions the journal committed",
      [journal_counters] { return double(journal_counters->commits); });
  stats.add_gauge(
      "berry_journal_batches_total", "Write batches the journal acknowledged",
      [journal_counters] { return double(journal_counters->batches); });
  stats.add_gauge("berry_catalog_products", "Products in the catalog",
                  [&catalog_cache] {
                    auto c = catalog_cache.load();
                    return c ? double(c->snapshot->products.size()) : 0.0;
                  });
  stats.add_counter(
      "berry_orders_created_total", "Orders created since the server started",
      [order_counters] { return double(order_counters->created); });
  stats.add_gauge("berry_orders_open",
                  "Orders whose checkout or delivery is under way",
                  [order_counters] { return double(order_counters->open); });
  berry::http::edge_context ctx;
  ctx.cfg = &cfg;
  ctx.catalog = &catalog_cache;
  ctx.stats = &stats;
  ctx.db_path = paths.db;
  ctx.catalog_owner = catalog;
  for (size_t i = 0; i < data.warehouses.size(); ++i)
    ctx.warehouses[data.warehouses[i].id] = {data.warehouses[i], warehouses[i]};
  ctx.sys = &sys;
  ctx.carts = carts;
  ctx.orders = orders;
  ctx.dispatcher = dispatcher;
  ctx.tracking = tracking;
  ctx.tokens = &tokens;
  ctx.logins = &logins;
  // Registration writes new accounts through the journal.
  ctx.journal = journal;
  ctx.web_root = cfg.web_root.empty() ? std::string{BERRY_SOURCE_DIR} + "/web"
                                      : cfg.web_root;
  berry::http::server edge{ctx};
  auto port = edge.start();

  // Ready once the catalog has heard from every warehouse.
  {
    caf::scoped_actor self{sys};
    bool ok = false;
    self->request(catalog, std::chrono::seconds(30), berry::ready_atom_v)
        .receive([&](uint64_t) { ok = true; },
                 [&](caf::error& err) {
                   berry::log::error("catalog not ready",
                                     {{"error", sys.render(err)}});
                 });
    if (!ok)
      return 1;
  }
  edge.set_ready(true);
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                std::chrono::steady_clock::now() - started)
                .count();
  berry::log::info("ready", {{"port", unsigned{port}},
                             {"products", data.products.size()},
                             {"warehouses", data.warehouses.size()},
                             {"startup_ms", int64_t{ms}}});
  std::cout << "listening on http://" << cfg.host << ":" << port << std::endl;

  int sig = 0;
  sigwait(&stop_signals, &sig);
  berry::log::info("stopping", {{"signal", sig}});
  edge.drain();
  // Actors stop after the edge: nothing new arrives; the journal commits
  // what it holds before it exits.
  for (auto& w : warehouses)
    caf::anon_send_exit(w, caf::exit_reason::user_shutdown);
  caf::anon_send_exit(orders, caf::exit_reason::user_shutdown);
  caf::anon_send_exit(dispatcher, caf::exit_reason::user_shutdown);
  caf::anon_send_exit(tracking, caf::exit_reason::user_shutdown);
  caf::anon_send_exit(carts, caf::exit_reason::user_shutdown);
  caf::anon_send_exit(catalog, caf::exit_reason::user_shutdown);
  caf::anon_send_exit(payments, caf::exit_reason::user_shutdown);
  caf::anon_send_exit(provider, caf::exit_reason::user_shutdown);
  caf::anon_send(journal, caf::close_atom_v);
  edge.stop();
  berry::log::info("stopped", {});
  return 0;
}

} // namespace

int main(int argc, char** argv) {
  // Before any thread starts (the logger's flusher is one), so that every
  // thread inherits the mask and only sigwait below sees these signals.
  auto stop_signals = block_stop_signals();
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "--help" || args[0] == "-h" ||
      args[0] == "help") {
    std::cout << usage << "\n" << berry::serve_help();
    return args.empty() ? 2 : 0;
  }
  if (args[0] != "serve") {
    std::cerr << "berry: unknown command '" << args[0] << "'\n" << usage;
    return 2;
  }
  args.erase(args.begin());
  for (auto& a : args)
    if (a == "--help" || a == "-h") {
      std::cout << berry::serve_help();
      return 0;
    }
  berry::server_config cfg;
  try {
    cfg = berry::load_config(args, berry::berry_environment());
  } catch (const std::exception& e) {
    std::cerr << "berry: " << e.what() << "\n";
    return 2;
  }
  berry::log::init(cfg.log_level);
  try {
    return serve(cfg, stop_signals);
  } catch (const std::exception& e) {
    berry::log::error("fatal", {{"error", e.what()}});
    std::cerr << "berry: " << e.what() << "\n";
    return 1;
  }
}
