#include "node/node.hpp"

#include <chrono>
#include <stdexcept>

#include <caf/all.hpp>

#include "actors/accounts.hpp"
#include "actors/catalog_search.hpp"
#include "actors/order_shards.hpp"
#include "actors/shard_gate.hpp"
#include "actors/system_config.hpp"
#include "cluster/placement.hpp"
#include "config/logging.hpp"
#include "examples/demo/demo_data.hpp"
#include "http/auth.hpp"
#include "http/catalog_cache.hpp"
#include "http/metrics.hpp"
#include "http/server.hpp"
#include "node/node_cluster.hpp"
#include "node/node_logistics.hpp"
#include "node/node_peers.hpp"
#include "node/search_warmup.hpp"
#include "storage/database.hpp"
#include "storage/store.hpp"

namespace berry {

namespace st = storage;

st::store_paths prepare_storage(const server_config& cfg) {
  auto paths = st::prepare_store(cfg.data_dir, cfg.db);
  auto db = st::database::open(paths.db);
  if (cfg.seed && st::seed_if_empty(db, demo::make_demo_data()))
    log::info("seeded demo marketplace",
              {{"db", db.is_postgres() ? "postgresql" : paths.db}});
  return paths;
}

namespace {

void add_gauges(http::metrics& stats, const node_actors& a) {
  auto journal = a.journal_counts;
  stats.add_gauge("berry_journal_commits_total",
                  "Transactions the journal committed",
                  [journal] { return double(journal->commits); });
  stats.add_gauge("berry_journal_batches_total",
                  "Write batches the journal acknowledged",
                  [journal] { return double(journal->batches); });
  stats.add_gauge("berry_catalog_products", "Products in the catalog",
                  [view = a.catalog_snapshot] {
                    return double(view->load()->products.size());
                  });
  auto orders = a.order_counts;
  stats.add_counter("berry_orders_created_total",
                    "Orders created since the server started",
                    [orders] { return double(orders->created); });
  stats.add_gauge("berry_orders_open",
                  "Orders whose checkout or delivery is under way",
                  [orders] { return double(orders->open); });
  auto drops = a.password_drops;
  stats.add_counters(
      "berry_password_jobs_dropped_total",
      "Password hashes dropped before they started: their client had gone, "
      "or they waited too long for a thread",
      "reason",
      {{"client_gone", [drops] { return double(drops->client_gone); }},
       {"waited_too_long",
        [drops] { return double(drops->waited_too_long); }}});
}

/// True once the catalog has heard from every warehouse, within 30 s plus
/// 2 minutes per million products (the warehouses and the catalog load and
/// gather them first).
bool wait_ready(caf::actor_system& sys, const catalog_actor& catalog,
                std::size_t products) {
  caf::scoped_actor self{sys};
  bool ok = false;
  auto limit = std::chrono::seconds(30) +
               std::chrono::milliseconds(products * 120'000 / 1'000'000);
  self->request(catalog, limit, ready_atom_v)
      .receive([&](uint64_t) { ok = true; },
               [&](caf::error& err) {
                 log::error("catalog not ready", {{"error", sys.render(err)}});
               });
  return ok;
}

caf::actor_system_config& configured(caf::actor_system_config& cfg,
                                     const cluster_config& cluster) {
  configure_actor_system(cfg);
  if (cluster.enabled())
    configure_cluster_link(cfg);
  return cfg;
}

} // namespace

struct node::impl {
  server_config cfg;
  caf::actor_system_config actor_cfg;
  // Outlives everything below: its destructor waits for the actors.
  caf::actor_system sys;
  // Shared with the catalog actor, which renders into it until it ends.
  std::shared_ptr<http::catalog_cache> catalog =
      std::make_shared<http::catalog_cache>();
  catalog_search search;
  http::metrics stats;
  std::unique_ptr<http::token_service> tokens;
  node_actors actors;
  std::unique_ptr<http::server> edge;
  /// Makes the search index of a large catalog after the node is ready.
  std::thread indexer;
  /// With --etcd only: the node's membership of its cluster.
  std::unique_ptr<node_cluster> cluster;
  bool running = false;

  explicit impl(server_config c)
      : cfg(std::move(c)), sys(configured(actor_cfg, cfg.cluster)) {
    if (cfg.cluster.enabled())
      cluster = std::make_unique<node_cluster>(cfg);
  }

  http::edge_context make_edge_context(const std::string& db_path) {
    http::edge_context ctx;
    ctx.cfg = &cfg;
    ctx.catalog = catalog.get();
    ctx.search = &search;
    ctx.stats = &stats;
    ctx.db_path = db_path;
    ctx.catalog_owner = actors.catalog;
    for (auto& w : actors.warehouse_infos)
      ctx.warehouses[w.id] = {w, actors.warehouses.at(w.id)};
    ctx.sys = &sys;
    ctx.carts = actors.carts;
    ctx.orders = actors.orders;
    ctx.dispatcher = actors.dispatcher;
    // In a cluster, through the router to the gate of the order's node.
    if (actors.tracking_gate)
      ctx.tracking_via = cluster ? caf::actor_cast<caf::actor>(actors.orders)
                                 : actors.tracking_gate;
    ctx.tokens = tokens.get();
    ctx.sessions = actors.tokens.get();
    ctx.accounts = actors.accounts;
    ctx.learn_account = account_learner(sys, actors.account_sync);
    if (cluster)
      ctx.cluster = cluster->view();
    ctx.web_root = cfg.web_root.empty() ? std::string{BERRY_SOURCE_DIR} + "/web"
                                        : cfg.web_root;
    return ctx;
  }
};

node::node(server_config cfg) : impl_(std::make_unique<impl>(std::move(cfg))) {}

node::~node() {
  stop();
  // Every actor ends while the edge still exists: a tracking socket's actor
  // may hold the last reference to its WebSocket session, whose stream must
  // be destroyed before the edge's io_context (it crashed at exit, 1 in ~100).
  impl_->sys.await_all_actors_done();
}

uint16_t node::start() {
  auto started = std::chrono::steady_clock::now();
  auto& d = *impl_;
  auto paths = prepare_storage(d.cfg);
  // Tokens stay valid across restarts: the key lives in the data dir.
  d.tokens = std::make_unique<http::token_service>(
      http::load_or_create_token_key(paths.dir), d.cfg.token_ttl);
  node_setup setup;
  setup.on_catalog = [cache = d.catalog](catalog_snapshot_ptr snap) {
    cache->publish(std::move(snap));
  };
  if (d.cluster)
    setup.cluster_view = d.cluster->view();
  d.actors = spawn_node_actors(d.sys, d.cfg, paths.db, setup);
  d.running = true;
  add_gauges(d.stats, d.actors);
  d.stats.add_gauge("berry_search_index_products",
                    "Products in the in-memory search index (0 until it is "
                    "made; searches run on SQLite meanwhile)",
                    [search = &d.search] { return double(search->size()); });
  uint16_t port = 0;
  try {
    // The admin account from the environment, before the edge opens; the
    // password is never logged.
    if (!d.cfg.admin_email.empty())
      make_admin(d.sys, d.actors.accounts, d.cfg.admin_email,
                 d.cfg.admin_password);
    d.edge = std::make_unique<http::server>(d.make_edge_context(paths.db));
    port = d.edge->start();
  } catch (...) {
    d.edge.reset(); // it never ran: nothing to drain
    stop();
    throw;
  }
  if (!wait_ready(d.sys, d.actors.catalog, d.actors.products)) {
    stop();
    throw std::runtime_error("catalog not ready");
  }
  d.indexer = index_catalog(d.search, *d.actors.catalog_snapshot);
  d.edge->set_ready(true);
  if (d.cluster) {
    // A warehouse shard given to this node starts behind its gate; one
    // taken away stops (node/shard_host.hpp), and its availability is no
    // longer this node's to tell. So do the dispatcher and the couriers,
    // behind the dispatch shard's gate. An order shard's orders resume (or
    // stop) in the order manager, told through its router.
    std::map<std::string, caf::actor> gates;
    for (auto& [id, w] : d.actors.warehouses)
      gates[id] = caf::actor_cast<caf::actor>(w);
    if (d.actors.dispatch_gate)
      gates[city_dispatch_shard()] = d.actors.dispatch_gate;
    auto peers = d.actors.peers;
    auto orders = caf::actor_cast<caf::actor>(d.actors.orders);
    auto gate_of = [gates](const std::string& id) {
      auto it = gates.find(id);
      return it == gates.end() ? caf::actor{} : it->second;
    };
    d.cluster->join(
        d.sys, port, d.actors.warehouse_infos, peers,
        [gate_of, orders](const std::string& id, int64_t epoch) {
          if (auto g = gate_of(id))
            caf::anon_send(g, gate_host_atom::value, epoch);
          if (auto n = order_shard_number(id))
            caf::anon_send(orders, order_host_atom::value, int32_t{*n},
                           cluster::fence_key(id), epoch);
        },
        [gate_of, peers, orders](const std::string& id) {
          if (auto g = gate_of(id))
            caf::anon_send(g, gate_unhost_atom::value);
          if (auto n = order_shard_number(id))
            caf::anon_send(orders, order_unhost_atom::value, int32_t{*n});
          caf::anon_send(peers, gate_unhost_atom::value, id);
        });
  }
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                std::chrono::steady_clock::now() - started)
                .count();
  log::info("ready",
            {{"port", unsigned{port}},
             {"products", d.actors.catalog_snapshot->load()->products.size()},
             {"warehouses", d.actors.warehouse_infos.size()},
             {"startup_ms", int64_t{ms}}});
  return port;
}

void node::stop() {
  auto& d = *impl_;
  if (!d.running)
    return;
  d.running = false;
  // In a cluster the requests under way finish first, on the shards this
  // node still holds (a checkout's saga needs its warehouses), for at most
  // half a second; then the shards move at once rather than when the
  // lease expires, and what is left of the drain follows.
  if (d.cluster) {
    if (d.edge)
      d.edge->settle(std::chrono::milliseconds(500));
    // The other nodes wait for this node's shards' new owners even if its
    // link drops before etcd's word of the leave reaches them.
    if (d.actors.peers)
      caf::anon_send(d.actors.peers, peers_leaving_atom::value);
    d.cluster->leave(d.sys);
  }
  if (d.edge)
    d.edge->drain();
  // Actors stop after the edge: nothing new arrives.
  stop_node_actors(d.actors);
  if (d.edge)
    d.edge->stop();
  if (d.indexer.joinable())
    d.indexer.join();
}

const node_actors& node::actors() const {
  return impl_->actors;
}

} // namespace berry
