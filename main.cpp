// berry: the marketplace server. main only wires: config -> storage ->
// actors -> edge, then waits for SIGTERM/SIGINT and shuts down in order.

#include <csignal>
#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include <caf/all.hpp>

#include "actors/catalog.hpp"
#include "actors/system_config.hpp"
#include "actors/warehouse.hpp"
#include "config/config.hpp"
#include "config/logging.hpp"
#include "http/catalog_cache.hpp"
#include "http/metrics.hpp"
#include "http/server.hpp"
#include "storage/catalog_repo.hpp"
#include "storage/database.hpp"
#include "storage/demo_data.hpp"
#include "storage/journal.hpp"
#include "storage/store.hpp"

namespace {

constexpr const char* usage = "usage: berry serve [options]   (berry serve --help)\n";

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

  // Declared before the actor system, which outlives its last user: the
  // catalog publishes into the cache until the system has stopped.
  berry::http::catalog_cache catalog_cache;
  berry::http::metrics stats;

  // Actors.
  caf::actor_system_config actor_cfg;
  berry::configure_actor_system(actor_cfg);
  caf::actor_system sys{actor_cfg};
  auto journal_counters = std::make_shared<st::journal_counters>();
  auto journal = st::spawn_journal(
    sys, {paths.db, cfg.synchronous, cfg.journal_max_batch}, journal_counters);
  auto catalog = berry::spawn_catalog(
    sys, {data.categories, data.products, data.warehouses.size(),
          [&catalog_cache](berry::catalog_snapshot_ptr snap) {
            catalog_cache.publish(std::move(snap));
          }});
  std::vector<berry::warehouse_actor> warehouses;
  for (auto& w : data.warehouses) {
    std::vector<berry::stock_level> levels;
    for (auto& s : data.stock)
      if (s.warehouse_id == w.id)
        levels.push_back(s);
    warehouses.push_back(berry::spawn_warehouse(
      sys, {w, std::move(levels), journal, catalog}));
  }

  // The edge.
  stats.add_gauge("berry_journal_commits_total",
                  "Transactions the journal committed",
                  [journal_counters] { return double(journal_counters->commits); });
  stats.add_gauge("berry_journal_batches_total",
                  "Write batches the journal acknowledged",
                  [journal_counters] { return double(journal_counters->batches); });
  stats.add_gauge("berry_catalog_products", "Products in the catalog",
                  [&catalog_cache] {
                    auto c = catalog_cache.load();
                    return c ? double(c->snapshot->products.size()) : 0.0;
                  });
  berry::http::edge_context ctx;
  ctx.cfg = &cfg;
  ctx.catalog = &catalog_cache;
  ctx.stats = &stats;
  ctx.db_path = paths.db;
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
  caf::anon_send_exit(catalog, caf::exit_reason::user_shutdown);
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
  if (args.empty() || args[0] == "--help" || args[0] == "-h"
      || args[0] == "help") {
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
