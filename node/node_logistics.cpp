#include "node/node_logistics.hpp"

#include <caf/all.hpp>

#include "actors/dispatch_front.hpp"
#include "actors/dispatcher.hpp"
#include "actors/shard_gate.hpp"
#include "actors/supervisor.hpp"
#include "actors/tracking.hpp"
#include "actors/tracking_gate.hpp"
#include "cluster/placement.hpp"
#include "examples/demo/streets.hpp"
#include "node/node_peers.hpp"
#include "storage/catalog_repo.hpp"
#include "storage/database.hpp"

namespace berry {

namespace {

/// The dispatcher's supervisor: it starts every courier where it was last
/// seen, and starts them again the same way if the dispatcher crashes (the
/// orders hand their deliveries over again); their writes fenced at
/// `fence`.
caf::actor spawn_dispatch(caf::actor_system& sys, double time_scale,
                          const std::string& db_path, const node_setup& setup,
                          journal_actor journal, shard_fence fence) {
  supervisor_init sup;
  sup.name = "dispatcher";
  sup.journal = journal;
  sup.start = [db_path, scale = time_scale, journal, fence,
               hook = setup.on_courier](caf::actor_system& s) {
    auto held = storage::database::open(db_path, storage::open_mode::read_only);
    dispatcher_init init;
    init.couriers = storage::load_couriers(held);
    init.journal = journal;
    init.params.time_scale = scale;
    init.fence = fence;
    init.on_spawn = hook;
    return caf::actor_cast<caf::actor>(spawn_dispatcher(s, std::move(init)));
  };
  sup.on_start = setup.on_dispatcher;
  return spawn_supervisor(sys, std::move(sup));
}

} // namespace

std::string city_dispatch_shard() {
  return dispatch_shard_id(demo::demo_city().zone().city_id);
}

void spawn_logistics(caf::actor_system& sys, const server_config& cfg,
                     const std::string& db_path, const node_setup& setup,
                     node_actors& a) {
  // Live tracking: orders publish, tracking sockets subscribe.
  a.tracking = spawn_tracking(sys);
  a.tracking_gate = spawn_tracking_gate(sys, a.tracking);
  if (!cfg.cluster.enabled()) {
    a.dispatcher = caf::actor_cast<dispatcher_actor>(spawn_dispatch(
        sys, cfg.time_scale, db_path, setup, a.journal, shard_fence{}));
    return;
  }
  // In a cluster the dispatcher and the couriers are one shard: they start
  // behind its gate when this node is given it, and everyone reaches them
  // through this node's front.
  auto shard = city_dispatch_shard();
  shard_gate_init gate;
  gate.name = "dispatcher " + shard;
  gate.start = [scale = cfg.time_scale, db_path, setup, journal = a.journal,
                key = cluster::fence_key(shard)](caf::actor_system& s,
                                                 int64_t epoch) {
    return spawn_dispatch(s, scale, db_path, setup, journal,
                          shard_fence{key, epoch});
  };
  // Let go of at once: its couriers never ride on two nodes.
  gate.drain_grace = std::chrono::milliseconds(0);
  a.dispatch_gate = spawn_shard_gate(sys, std::move(gate));
  a.dispatcher = caf::actor_cast<dispatcher_actor>(
      spawn_dispatch_front(sys, a.dispatch_gate));
  if (a.peers)
    caf::anon_send(a.peers, peers_gates_atom::value,
                   std::vector<std::string>{shard},
                   std::vector<caf::actor>{a.dispatch_gate});
}

} // namespace berry
