#include "node/node_cluster.hpp"

#include <caf/all.hpp>
#include <caf/io/all.hpp>
#include <stdexcept>

#include "cluster/membership.hpp"
#include "cluster/placement.hpp"
#include "config/logging.hpp"
#include "node/node_logistics.hpp"
#include "node/node_peers.hpp"
#include "node/shard_host.hpp"
#include "storage/database.hpp"

namespace berry {

std::vector<std::string>
cluster_shards(const std::vector<warehouse_info>& warehouses) {
  std::vector<std::string> out;
  for (auto& w : warehouses)
    out.push_back(w.id);
  for (int i = 0; i < order_shard_count; ++i)
    out.push_back(order_shard_id(i));
  out.push_back(city_dispatch_shard());
  return out;
}

void configure_cluster_link(caf::actor_system_config& cfg) {
  cfg.load<caf::io::middleman>();
  cfg.set("middleman.heartbeat-interval",
          caf::timespan{std::chrono::seconds(1)});
  cfg.set("middleman.connection-timeout",
          caf::timespan{std::chrono::seconds(3)});
  // Bump with every change of a message type or handler that crosses nodes.
  cfg.set("middleman.app-identifiers",
          std::vector<std::string>{"berry-wire-5"});
}

struct node_cluster::impl {
  cluster_config cfg;
  std::string http_host;
  std::shared_ptr<cluster::etcd_client> etcd;
  std::shared_ptr<cluster::view_cell> view =
      std::make_shared<cluster::view_cell>();
  cluster::membership_actor membership;
  /// PostgreSQL's connection string; empty on SQLite (no fence).
  std::string conninfo;
  shard_host_actor host;
};

node_cluster::node_cluster(const server_config& cfg)
    : impl_(std::make_unique<impl>()) {
  impl_->cfg = cfg.cluster;
  impl_->http_host = cfg.host;
  if (storage::database::is_postgres_location(cfg.db))
    impl_->conninfo = cfg.db;
  impl_->etcd = std::make_shared<cluster::etcd_client>(cfg.cluster.etcd);
}

node_cluster::~node_cluster() = default;

void node_cluster::join(
    caf::actor_system& sys, uint16_t http_port,
    const std::vector<warehouse_info>& warehouses, const caf::actor& peers,
    std::function<void(const std::string&, int64_t)> on_host,
    std::function<void(const std::string&)> on_unhost) {
  auto& d = *impl_;
  cluster::membership_config m;
  m.node_name = d.cfg.node_name;
  m.prefix = "/berry/" + d.cfg.name + "/";
  m.http = d.http_host + ":" + std::to_string(http_port);
  // Other nodes connect here, to this node's links.
  auto bound =
      sys.middleman().publish(peers, d.cfg.port, d.cfg.host.c_str(), true);
  if (!bound)
    throw std::runtime_error("cannot open the cluster port " + d.cfg.host +
                             ":" + std::to_string(d.cfg.port) + ": " +
                             sys.render(bound.error()));
  m.cluster_address = d.cfg.host + ":" + std::to_string(*bound);
  m.shards = cluster_shards(warehouses);
  if (!cluster::distinct_fence_keys(m.shards))
    throw std::runtime_error("two shards share a fence key: rename one of "
                             "the warehouses");
  m.lease_ttl_s = d.cfg.lease_ttl_s;
  shard_host_init host;
  host.node_name = m.node_name;
  host.conninfo = d.conninfo;
  host.view = d.view;
  host.on_host = std::move(on_host);
  host.on_unhost = std::move(on_unhost);
  d.host = spawn_shard_host(sys, std::move(host));
  d.view->on_change(
      [peers] { caf::anon_send(peers, peers_update_atom::value); });
  d.membership = cluster::spawn_membership(sys, m, d.etcd, d.view);
  log::info("joining the cluster", {{"node", m.node_name},
                                    {"prefix", m.prefix},
                                    {"shards", m.shards.size()}});
}

void node_cluster::leave(caf::actor_system& sys) {
  auto& d = *impl_;
  if (!d.membership)
    return;
  caf::scoped_actor self{sys};
  bool left = false;
  self->request(d.membership, std::chrono::seconds(2),
                cluster::leave_atom::value)
      .receive([&](bool ok) { left = ok; }, [](caf::error&) {});
  if (!left)
    log::warn("left the cluster without etcd's word: the shards move when "
              "the lease expires",
              {{"node", d.cfg.node_name}});
  caf::anon_send_exit(d.membership, caf::exit_reason::user_shutdown);
  d.membership = nullptr;
  // Its last view (no lease) had the host stop every shard it hosted.
  d.view->on_change({});
  caf::anon_send_exit(d.host, caf::exit_reason::user_shutdown);
  d.host = nullptr;
}

std::function<std::shared_ptr<const cluster::cluster_view>()>
node_cluster::view() const {
  return [cell = impl_->view] { return cell->get(); };
}

} // namespace berry
