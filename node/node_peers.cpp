#include "node/node_peers.hpp"

#include <algorithm>
#include <caf/all.hpp>
#include <vector>

#include "actors/account_sync.hpp"
#include "actors/shard_gate.hpp"
#include "node/node_peers_impl.hpp"
#include "protocols/type_ids.hpp"

namespace berry {

namespace {

using namespace peers_impl;

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
