// A node's links to the other nodes: opening them (the lower name
// connects), adopting the other node's links actor, dropping a node etcd no
// longer lists, and opening a lost link again.

#include "node/node_peers_impl.hpp"

#include <algorithm>
#include <caf/all.hpp>
#include <caf/io/all.hpp>

#include "cluster/membership_state.hpp"
#include "config/logging.hpp"
#include "protocols/type_ids.hpp"

namespace berry::peers_impl {

namespace {

void arm_retry(self_ptr self, const std::string& name) {
  auto& p = self->state.peers[name];
  if (p.retry_armed)
    return;
  p.retry_armed = true;
  self->delayed_send(self, self->state.init.retry, retry_atom::value, name);
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

} // namespace

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

} // namespace berry::peers_impl
