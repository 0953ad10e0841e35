// Where each shard lives, as a node's links actor tells it to this node:
// each local gate learns the owner's gate of its shard, the local order
// router the owner's router of each order shard, and both whether a request
// should wait while there is no route (node/peer_state.hpp, worth_waiting).

#include "node/node_peers_impl.hpp"

#include <caf/all.hpp>

#include "actors/order_shards.hpp"
#include "actors/shard_gate.hpp"
#include "cluster/membership_state.hpp"
#include "protocols/type_ids.hpp"

namespace berry::peers_impl {

namespace {

/// Whether a request for shard `id` should wait while it has no route
/// (peer_state.hpp).
bool worth_waiting(const peers_state& st,
                   const std::map<std::string, std::string>& owners,
                   const std::string& id) {
  auto o = owners.find(id);
  if (o == owners.end())
    return worth_waiting(owner_seen::nobody);
  if (o->second == st.init.node_name)
    return worth_waiting(owner_seen::self);
  if (st.leaving.count(o->second) > 0)
    return worth_waiting(owner_seen::leaving);
  auto p = st.peers.find(o->second);
  if (p == st.peers.end())
    return worth_waiting(owner_seen::unlisted);
  return worth_waiting(p->second.links ? owner_seen::linked
                                       : owner_seen::unlinked);
}

/// The peer that serves shard `id` now: its owner, unless that is this
/// node, a node that said it is leaving (it lets go of its shards now, so
/// their requests wait for the new owner) or a node this one does not know;
/// null then.
const peer* serving_peer(const peers_state& st,
                         const std::map<std::string, std::string>& owners,
                         const std::string& id) {
  auto o = owners.find(id);
  if (o == owners.end() || o->second == st.init.node_name ||
      st.leaving.count(o->second) > 0)
    return nullptr;
  auto p = st.peers.find(o->second);
  return p == st.peers.end() ? nullptr : &p->second;
}

/// Tells the local order router, for each order shard, the router of the
/// node that hosts it (none: here, unknown or not linked) and whether to
/// wait, where that changed.
void reroute_orders(self_ptr self,
                    const std::map<std::string, std::string>& owners) {
  auto& st = self->state;
  if (!st.local_orders)
    return;
  for (int shard = 0; shard < order_shard_count; ++shard) {
    caf::actor to;
    auto id = order_shard_id(shard);
    if (auto* p = serving_peer(st, owners, id))
      to = p->orders;
    auto& last = st.routed_orders[shard];
    if (last != to) {
      last = to;
      self->send(st.local_orders, order_route_atom::value, int32_t{shard}, to);
    }
    bool wait = worth_waiting(st, owners, id);
    auto& waited = st.waits.try_emplace(id, false).first->second;
    if (waited != wait) {
      waited = wait;
      self->send(st.local_orders, order_wait_atom::value, int32_t{shard}, wait);
    }
  }
}

} // namespace

void reroute(self_ptr self) {
  auto& st = self->state;
  auto owners = shard_owners(*st.init.view());
  reroute_orders(self, owners);
  for (auto& [id, gate] : st.local_gates) {
    caf::actor to;
    bool wait = worth_waiting(st, owners, id);
    if (auto* p = serving_peer(st, owners, id)) {
      if (auto g = p->gates.find(id); g != p->gates.end())
        to = g->second;
    }
    auto& last = st.routed[id];
    if (last != to) {
      last = to;
      self->send(gate, gate_route_atom::value, to);
    }
    auto& waited = st.waits.try_emplace(id, false).first->second;
    if (waited != wait) {
      waited = wait;
      self->send(gate, gate_wait_atom::value, wait);
    }
  }
}

} // namespace berry::peers_impl
