#include "node/node_peers.hpp"

#include <algorithm>
#include <caf/all.hpp>
#include <caf/io/all.hpp>
#include <map>
#include <set>
#include <vector>

#include "actors/account_sync.hpp"
#include "actors/order_shards.hpp"
#include "actors/shard_gate.hpp"
#include "cluster/membership_state.hpp"
#include "config/logging.hpp"
#include "node/peer_state.hpp"
#include "protocols/type_ids.hpp"

namespace berry {

namespace {

// Private: open the link to a node again (if still wanted).
using retry_atom = caf::atom_constant<caf::atom("peerretry")>;

/// Another node as this one knows it.
struct peer {
  std::string address;
  /// Its links actor, once linked (a proxy).
  caf::actor links;
  /// Its gates, by shard id, once it told them.
  std::map<std::string, caf::actor> gates;
  /// Its order router, once it told it.
  caf::actor orders;
  bool connecting = false;
  bool retry_armed = false;
  /// Listed by etcd once: dropped when it no longer is. (A node that
  /// greets this one before this one's view lists it is kept meanwhile.)
  bool listed = false;
};

struct peers_state {
  node_peers_init init;
  std::map<std::string, caf::actor> local_gates;
  std::map<std::string, peer> peers;
  /// The route each local gate was told last, and whether to wait, by
  /// shard id (order shards too).
  std::map<std::string, caf::actor> routed;
  std::map<std::string, bool> waits;
  /// Nodes that said they are leaving, while etcd still lists them.
  std::set<std::string> leaving;
  /// This node's order router, and the route it was told last per shard.
  caf::actor local_orders;
  std::map<int, caf::actor> routed_orders;
  /// Other nodes' catalogs.
  std::vector<caf::actor> subscribers;
  availability_relay relay;
  static inline const char* name = "node-peers";
};

using self_ptr = caf::stateful_actor<peers_state>*;

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
    auto o = owners.find(id);
    if (o != owners.end() && o->second != st.init.node_name) {
      auto p = st.peers.find(o->second);
      if (p != st.peers.end())
        to = p->second.orders;
    }
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

/// Tells each local gate the owner's gate, and whether a request should
/// wait while there is none (worth_waiting), where that changed.
void reroute(self_ptr self) {
  auto& st = self->state;
  auto owners = shard_owners(*st.init.view());
  reroute_orders(self, owners);
  for (auto& [id, gate] : st.local_gates) {
    caf::actor to;
    bool wait = worth_waiting(st, owners, id);
    auto o = owners.find(id);
    if (o != owners.end() && o->second != st.init.node_name) {
      auto p = st.peers.find(o->second);
      if (p != st.peers.end()) {
        auto g = p->second.gates.find(id);
        if (g != p->second.gates.end())
          to = g->second;
      }
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

void arm_retry(self_ptr self, const std::string& name) {
  auto& p = self->state.peers[name];
  if (p.retry_armed)
    return;
  p.retry_armed = true;
  self->delayed_send(self, self->state.init.retry, retry_atom::value, name);
}

/// Uses `links` as the node `name`'s: watches it, asks its gates and has it
/// report availability to this node's catalog.
void adopt(self_ptr self, const std::string& name, caf::actor links) {
  auto& p = self->state.peers[name];
  if (p.links == links)
    return;
  if (p.links)
    self->demonitor(p.links);
  p.links = links;
  p.gates.clear();
  p.orders = nullptr;
  self->monitor(links);
  self->request(links, self->state.init.timeout, peers_orders_atom::value)
      .then(
          [=](caf::actor& orders) {
            auto it = self->state.peers.find(name);
            if (it == self->state.peers.end() || it->second.links != links)
              return;
            it->second.orders = std::move(orders);
            reroute(self);
          },
          [=](caf::error& err) {
            log::warn("a node did not tell its order router",
                      {{"node", name}, {"error", self->system().render(err)}});
          });
  self->send(links, peers_subscribe_atom::value,
             caf::actor_cast<caf::actor>(self->state.init.catalog));
  if (self->state.init.accounts)
    self->send(links, peers_accounts_atom::value, self->state.init.accounts);
  self->request(links, self->state.init.timeout, peers_gates_atom::value)
      .then(
          [=](std::vector<std::string>& ids, std::vector<caf::actor>& gates) {
            auto it = self->state.peers.find(name);
            if (it == self->state.peers.end() || it->second.links != links)
              return;
            for (size_t i = 0; i < ids.size() && i < gates.size(); ++i)
              it->second.gates[ids[i]] = gates[i];
            log::info("linked to a node",
                      {{"node", name}, {"gates", ids.size()}});
            reroute(self);
          },
          [=](caf::error& err) {
            log::warn("a node did not tell its gates",
                      {{"node", name}, {"error", self->system().render(err)}});
          });
}

/// Forgets the node `name` (its routes go with it).
void unlink(self_ptr self, const std::string& name) {
  auto& st = self->state;
  auto it = st.peers.find(name);
  if (it == st.peers.end())
    return;
  if (it->second.links)
    self->demonitor(it->second.links);
  st.peers.erase(it);
}

/// Opens the link to `name`: the middleman connects on its own thread.
void connect(self_ptr self, const std::string& name) {
  auto& p = self->state.peers[name];
  if (p.links || p.connecting)
    return;
  auto where = split_address(p.address);
  if (!where)
    return;
  p.connecting = true;
  auto address = p.address;
  self->request(self->system().middleman().actor_handle(),
                self->state.init.timeout, caf::connect_atom::value,
                where->first, where->second)
      .then(
          [=](const caf::node_id&, caf::strong_actor_ptr& ptr,
              const std::set<std::string>&) {
            auto it = self->state.peers.find(name);
            if (it == self->state.peers.end() || it->second.address != address)
              return; // dropped meanwhile
            it->second.connecting = false;
            auto links = caf::actor_cast<caf::actor>(ptr);
            if (!links) {
              arm_retry(self, name);
              return;
            }
            self->send(links, peers_hello_atom::value,
                       self->state.init.node_name,
                       caf::actor_cast<caf::actor>(self));
            adopt(self, name, links);
          },
          [=](caf::error& err) {
            auto it = self->state.peers.find(name);
            if (it == self->state.peers.end() || it->second.address != address)
              return;
            it->second.connecting = false;
            log::warn("cannot link to a node",
                      {{"node", name},
                       {"address", address},
                       {"error", self->system().render(err)}});
            arm_retry(self, name);
          });
}

/// Links to the nodes etcd lists, and only to them.
void update(self_ptr self) {
  auto& st = self->state;
  auto wanted = live_peers(*st.init.view());
  std::vector<std::string> gone;
  for (auto& [name, p] : st.peers) {
    auto w = wanted.find(name);
    if (p.listed && (w == wanted.end() || w->second != p.address))
      gone.push_back(name);
  }
  for (auto& name : gone)
    unlink(self, name);
  for (auto it = st.leaving.begin(); it != st.leaving.end();)
    it = wanted.count(*it) > 0 ? std::next(it) : st.leaving.erase(it);
  for (auto& [name, address] : wanted) {
    auto& p = st.peers[name];
    p.address = address;
    p.listed = true;
    if (opens_link(st.init.node_name, name))
      connect(self, name);
  }
  reroute(self);
}

/// A peer's link or a subscriber went down.
void on_down(self_ptr self, const caf::down_msg& msg) {
  auto& st = self->state;
  auto& subs = st.subscribers;
  subs.erase(std::remove_if(subs.begin(), subs.end(),
                            [&](const caf::actor& s) {
                              return s.address() == msg.source;
                            }),
             subs.end());
  for (auto& [name, p] : st.peers) {
    if (!p.links || p.links.address() != msg.source)
      continue;
    log::warn("link to a node lost", {{"node", name}});
    p.links = nullptr;
    p.gates.clear();
    p.orders = nullptr;
    if (opens_link(st.init.node_name, name))
      arm_retry(self, name);
    break;
  }
  reroute(self);
}

caf::behavior node_peers(self_ptr self, node_peers_init init) {
  self->state.init = std::move(init);
  self->set_down_handler([=](caf::down_msg& msg) { on_down(self, msg); });
  return {
      [=](peers_update_atom) { update(self); },
      [=](peers_gates_atom, const std::vector<std::string>& ids,
          const std::vector<caf::actor>& gates) {
        for (size_t i = 0; i < ids.size() && i < gates.size(); ++i)
          self->state.local_gates[ids[i]] = gates[i];
      },
      [=](peers_gates_atom) {
        std::vector<std::string> ids;
        std::vector<caf::actor> gates;
        for (auto& [id, g] : self->state.local_gates) {
          ids.push_back(id);
          gates.push_back(g);
        }
        return caf::make_message(std::move(ids), std::move(gates));
      },
      [=](peers_orders_atom, const caf::actor& router) {
        self->state.local_orders = router;
      },
      [=](peers_orders_atom) { return self->state.local_orders; },
      [=](peers_leaving_atom) {
        auto& st = self->state;
        for (auto& [name, p] : st.peers)
          if (p.links)
            self->send(p.links, peers_leaving_atom::value, st.init.node_name);
      },
      [=](peers_leaving_atom, const std::string& name) {
        self->state.leaving.insert(name);
        reroute(self);
      },
      [=](peers_hello_atom, const std::string& name, const caf::actor& links) {
        if (name == self->state.init.node_name || !links)
          return;
        adopt(self, name, links);
        reroute(self);
      },
      [=](peers_subscribe_atom, const caf::actor& catalog) {
        auto& subs = self->state.subscribers;
        if (!catalog ||
            std::find(subs.begin(), subs.end(), catalog) != subs.end())
          return;
        subs.push_back(catalog);
        self->monitor(catalog);
        for (auto& r : self->state.relay.all())
          self->send(catalog, avail_atom_v, std::move(r));
      },
      [=](peers_accounts_atom, const caf::actor& sync) {
        if (self->state.init.accounts && sync)
          self->send(self->state.init.accounts, acc_peer_atom::value, sync);
      },
      [=](avail_atom, const availability_report& r) {
        auto& st = self->state;
        st.relay.apply(r);
        self->send(st.init.catalog, avail_atom_v, r);
        for (auto& s : st.subscribers)
          self->send(s, avail_atom_v, r);
      },
      [=](gate_unhost_atom, const std::string& id) {
        self->state.relay.drop(id);
      },
      [=](retry_atom, const std::string& name) {
        auto it = self->state.peers.find(name);
        if (it == self->state.peers.end())
          return;
        it->second.retry_armed = false;
        connect(self, name);
      },
  };
}

} // namespace

caf::actor spawn_node_peers(caf::actor_system& sys, node_peers_init init) {
  return sys.spawn(node_peers, std::move(init));
}

} // namespace berry
