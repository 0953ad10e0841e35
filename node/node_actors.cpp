#include "node/node_actors.hpp"

#include <caf/all.hpp>

#include "actors/account_sync.hpp"
#include "actors/accounts.hpp"
#include "actors/accounts_tokens.hpp"
#include "actors/cart.hpp"
#include "actors/catalog.hpp"
#include "actors/order_router.hpp"
#include "actors/payment.hpp"
#include "actors/payment_provider.hpp"
#include "actors/shard_gate.hpp"
#include "actors/supervisor.hpp"
#include "actors/warehouse.hpp"
#include "cluster/membership_state.hpp"
#include "cluster/placement.hpp"
#include "node/node_logistics.hpp"
#include "node/node_peers.hpp"
#include "storage/accounts_repo.hpp"
#include "storage/catalog_repo.hpp"
#include "storage/database.hpp"
#include "storage/payment_repo.hpp"
#include "storage/stock_repo.hpp"

namespace berry {

namespace {

namespace st = storage;

/// How often a cluster node rereads signed-out tokens and moved token
/// versions, besides when a node links: the bound on how long a change
/// whose relay a broken link lost stays unseen (README, "Cluster").
constexpr auto sync_reread = std::chrono::seconds(10);

/// How long the edge waits for an account to be read.
constexpr auto sync_learn_timeout = std::chrono::seconds(5);

int64_t unix_seconds() {
  using namespace std::chrono;
  return duration_cast<seconds>(system_clock::now().time_since_epoch()).count();
}

st::database read_only(const std::string& db_path) {
  return st::database::open(db_path, st::open_mode::read_only);
}

/// What other nodes change in accounts reaches this node's registry
/// (actors/account_sync.hpp), and what the accounts actor stores here is
/// relayed to them. In a cluster the revocations are also reread every
/// sync_reread, for a change whose message a broken link lost.
void spawn_sync(caf::actor_system& sys, const server_config& cfg,
                const std::string& db_path, node_actors& a,
                accounts_init& accounts) {
  account_sync_init sync;
  sync.tokens = a.tokens;
  sync.read_version = storage_version_reader(db_path);
  sync.reread = storage_rereader(db_path);
  if (cfg.cluster.enabled())
    sync.reread_every = sync_reread;
  a.account_sync = spawn_account_sync(sys, std::move(sync));
  accounts.on_version = [s = a.account_sync](const std::string& user,
                                             int64_t version) {
    caf::anon_send(s, acc_relay_atom::value, acc_version_atom::value, user,
                   version);
  };
  accounts.on_revoked = [s = a.account_sync](const std::string& id,
                                             int64_t expires_at) {
    caf::anon_send(s, acc_relay_atom::value, acc_revoked_atom::value, id,
                   expires_at);
  };
}

/// Each warehouse runs under a supervisor that restarts it from storage
/// (stock, open reservations, what was done for each order) if it crashes;
/// everyone holds the supervisor as the warehouse. In a cluster everyone
/// holds the warehouse's gate instead (actors/shard_gate.hpp): it starts
/// the supervisor when the node is given the warehouse's shard, its writes
/// fenced at the shard's epoch, and routes to the owner's gate meanwhile
/// (node/node_peers.hpp), which then also carries the warehouse's
/// availability to every node's catalog.
void spawn_warehouses(caf::actor_system& sys, const server_config& cfg,
                      const std::string& db_path, const node_setup& setup,
                      node_actors& a) {
  auto reports_to = a.catalog;
  if (cfg.cluster.enabled()) {
    node_peers_init peers;
    peers.node_name = cfg.cluster.node_name;
    peers.catalog = a.catalog;
    peers.accounts = caf::actor_cast<caf::actor>(a.account_sync);
    peers.view = setup.cluster_view;
    if (!peers.view)
      peers.view = [] {
        return std::make_shared<const cluster::cluster_view>();
      };
    a.peers = spawn_node_peers(sys, std::move(peers));
    reports_to = caf::actor_cast<catalog_actor>(a.peers);
  }
  std::vector<std::string> gate_ids;
  std::vector<caf::actor> gates;
  for (auto& w : a.warehouse_infos) {
    // The warehouse's supervisor, its writes fenced at `fence`.
    auto start = [w, db_path, ttl = cfg.reservation_ttl, journal = a.journal,
                  catalog = reports_to, hook = setup.on_warehouse](
                     caf::actor_system& s, shard_fence fence) {
      supervisor_init sup;
      sup.name = "warehouse " + w.id;
      sup.journal = journal;
      sup.start = [=](caf::actor_system& s2) {
        auto init = warehouse_init_from(db_path, w);
        init.journal = journal;
        init.catalog = catalog;
        init.reservation_ttl = ttl;
        init.fence = fence;
        return caf::actor_cast<caf::actor>(
            spawn_warehouse(s2, std::move(init)));
      };
      if (hook)
        sup.on_start = [hook, id = w.id](const caf::actor& c) { hook(id, c); };
      return spawn_supervisor(s, std::move(sup));
    };
    if (!cfg.cluster.enabled()) {
      a.warehouses[w.id] =
          caf::actor_cast<warehouse_actor>(start(sys, shard_fence{}));
      continue;
    }
    shard_gate_init gate;
    gate.name = "warehouse " + w.id;
    gate.start = [start, key = cluster::fence_key(w.id)](caf::actor_system& s,
                                                         int64_t epoch) {
      return start(s, shard_fence{key, epoch});
    };
    auto g = spawn_shard_gate(sys, std::move(gate));
    a.warehouses[w.id] = caf::actor_cast<warehouse_actor>(g);
    gate_ids.push_back(w.id);
    gates.push_back(g);
  }
  if (a.peers)
    caf::anon_send(a.peers, peers_gates_atom::value, std::move(gate_ids),
                   std::move(gates));
}

/// The built-in payment provider reads its books before it starts; the
/// payment actor in front of it is what the order saga talks to.
void spawn_payments(caf::actor_system& sys, const server_config& cfg,
                    const std::string& db_path, const node_setup& setup,
                    node_actors& a) {
  provider_init provider;
  provider.journal = a.journal;
  // Its books come from storage as requests name them: nothing to read at
  // start, and nothing settled stays in memory.
  provider.find = sqlite_provider_finder(db_path);
  provider.drop_reply = setup.drop_reply;
  provider.latency = cfg.payment_latency;
  a.provider = spawn_provider(sys, std::move(provider));
  payment_init payment;
  payment.provider = a.provider;
  payment.step_timeout = cfg.payment_timeout;
  a.payments = spawn_payment(sys, payment);
}

/// The manager resumes every unfinished order from storage at once (a
/// delivery under way goes back to its courier, who rides on). In a
/// cluster it runs only the orders of the order shards the node hosts, as
/// it is given them, and everyone holds its router instead
/// (actors/order_router.hpp), which sends the other shards' requests to
/// their node's router.
void spawn_orders(caf::actor_system& sys, const server_config& cfg,
                  const std::string& db_path, const node_setup& setup,
                  node_actors& a) {
  order_manager_init init;
  init.deps.journal = a.journal;
  init.deps.payments = a.payments;
  init.deps.carts = a.carts;
  init.deps.warehouse_infos = a.warehouse_infos;
  init.deps.warehouses = a.warehouses;
  init.deps.dispatcher = a.dispatcher;
  init.deps.tracking = a.tracking;
  // A node alone knows when its catalog has heard every warehouse: first
  // plans read it there.
  if (!cfg.cluster.enabled())
    init.deps.catalog = a.catalog;
  init.catalog = [view = a.catalog_snapshot] { return view->load(); };
  init.db_path = db_path;
  init.checkout_deadline = cfg.checkout_deadline;
  if (cfg.abuse.rate_limits) {
    init.max_unpaid_per_user = cfg.abuse.max_unpaid_orders;
    init.max_units_per_product = cfg.abuse.max_units_per_product;
  }
  init.detached = setup.detached;
  init.on_spawn = setup.on_order;
  a.order_counts = std::make_shared<order_counters>();
  init.counters = a.order_counts;
  init.sharded = cfg.cluster.enabled();
  auto checkout_timeout = cfg.checkout_deadline + std::chrono::seconds(10);
  if (!cfg.cluster.enabled()) {
    a.orders = spawn_order_manager(sys, std::move(init));
    return;
  }
  // Carts go with their user's order shard: the manager, the edge and the
  // orders reach them through the router too.
  order_router_init router;
  router.start_local = [&sys, init](caf::actor r) mutable {
    init.deps.carts = caf::actor_cast<cart_manager_actor>(r);
    return spawn_order_manager(sys, std::move(init));
  };
  router.carts = a.carts;
  router.tracking = a.tracking_gate;
  router.checkout_timeout = checkout_timeout;
  auto r = spawn_order_router(sys, std::move(router));
  a.orders = caf::actor_cast<order_manager_actor>(r);
  a.carts = caf::actor_cast<cart_manager_actor>(r);
  if (a.peers)
    caf::anon_send(a.peers, peers_orders_atom::value, r);
}

} // namespace

node_actors spawn_node_actors(caf::actor_system& sys, const server_config& cfg,
                              const std::string& db_path,
                              const node_setup& setup) {
  node_actors a;
  // Everything read before the first spawn: a bad database fails here, with
  // no actor left running.
  auto db = read_only(db_path);
  a.warehouse_infos = st::load_warehouses(db);
  catalog_init catalog;
  catalog.categories = st::load_categories(db);
  catalog.products = st::load_products(db);
  a.products = catalog.products.size();
  st::journal_options journal{db_path, cfg.synchronous, cfg.journal_max_batch};
  journal.detached = setup.detached;
  a.journal_counts = std::make_shared<st::journal_counters>();
  a.journal = st::spawn_journal(sys, journal, a.journal_counts);
  // Accounts hash and check passwords on their own worker threads.
  accounts_init accounts;
  accounts.journal = a.journal;
  accounts.find = sqlite_user_finder(db_path);
  a.tokens = std::make_shared<token_registry>();
  auto book = st::load_token_book(db, unix_seconds());
  a.tokens->load(book.versions, book.revoked);
  accounts.tokens = a.tokens;
  spawn_sync(sys, cfg, db_path, a, accounts);
  a.password_drops = std::make_shared<password_job_counters>();
  accounts.dropped = a.password_drops;
  a.accounts = spawn_accounts(sys, std::move(accounts));
  // Carts are rebuilt from their own read-only SQLite connection.
  cart_manager_init carts;
  carts.journal = a.journal;
  carts.load = sqlite_cart_loader(db_path);
  carts.detached = setup.detached;
  a.carts = spawn_cart_manager(sys, std::move(carts));
  a.catalog_snapshot = std::make_shared<catalog_view>(setup.on_catalog);
  // In a cluster the node hosts only the warehouses it is given, later.
  catalog.expected_warehouses =
      cfg.cluster.enabled() ? 0 : a.warehouse_infos.size();
  catalog.publisher = catalog_view::publisher_of(a.catalog_snapshot);
  catalog.journal = a.journal;
  a.catalog = spawn_catalog(sys, std::move(catalog));
  spawn_warehouses(sys, cfg, db_path, setup, a);
  spawn_payments(sys, cfg, db_path, setup, a);
  if (setup.logistics)
    spawn_logistics(sys, cfg, db_path, setup, a);
  spawn_orders(sys, cfg, db_path, setup, a);
  return a;
}

void stop_node_actors(const node_actors& a) {
  if (a.peers)
    caf::anon_send_exit(a.peers, caf::exit_reason::user_shutdown);
  for (auto& [id, w] : a.warehouses)
    caf::anon_send_exit(w, caf::exit_reason::user_shutdown);
  caf::anon_send_exit(a.orders, caf::exit_reason::user_shutdown);
  if (a.dispatcher)
    caf::anon_send_exit(a.dispatcher, caf::exit_reason::user_shutdown);
  if (a.dispatch_gate)
    caf::anon_send_exit(a.dispatch_gate, caf::exit_reason::user_shutdown);
  if (a.tracking)
    caf::anon_send_exit(a.tracking, caf::exit_reason::user_shutdown);
  if (a.tracking_gate)
    caf::anon_send_exit(a.tracking_gate, caf::exit_reason::user_shutdown);
  caf::anon_send_exit(a.carts, caf::exit_reason::user_shutdown);
  caf::anon_send_exit(a.catalog, caf::exit_reason::user_shutdown);
  caf::anon_send_exit(a.payments, caf::exit_reason::user_shutdown);
  caf::anon_send_exit(a.provider, caf::exit_reason::user_shutdown);
  caf::anon_send_exit(a.accounts, caf::exit_reason::user_shutdown);
  caf::anon_send_exit(a.account_sync, caf::exit_reason::user_shutdown);
  // Last: it commits what it holds before it exits.
  caf::anon_send(a.journal, caf::close_atom_v);
}

std::function<void(const std::string&, int64_t, std::function<void(bool)>)>
account_learner(caf::actor_system& sys, account_sync_actor sync) {
  return [&sys, sync](const std::string& user, int64_t version,
                      std::function<void(bool)> done) {
    sys.spawn([=](caf::event_based_actor* self) {
      self->request(sync, sync_learn_timeout, acc_learn_atom::value, user,
                    version)
          .then([=](bool) { done(true); }, [=](caf::error&) { done(false); });
    });
  };
}

} // namespace berry
