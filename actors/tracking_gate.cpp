#include "actors/tracking_gate.hpp"

#include <map>
#include <string>
#include <vector>

#include <caf/all.hpp>

#include "actors/order_shards.hpp"

namespace berry {

namespace {

struct tracking_gate_state {
  tracking_actor tracking;
  /// Subscribers by order, by order shard.
  std::map<int, std::map<std::string, std::vector<caf::actor>>> placed;
  /// Subscriptions per subscriber (watched while it has one).
  std::map<caf::actor_addr, int> watched;
  static inline const char* name = "tracking-gate";
};

using tracking_gate_self = caf::stateful_actor<tracking_gate_state>*;

void forget(tracking_gate_self self, const caf::actor& who) {
  auto w = self->state.watched.find(who.address());
  if (w != self->state.watched.end() && --w->second == 0) {
    self->demonitor(who);
    self->state.watched.erase(w);
  }
}

caf::behavior tracking_gate(tracking_gate_self self, tracking_actor tracking) {
  self->state.tracking = std::move(tracking);
  self->set_down_handler([=](caf::down_msg& msg) {
    // The tracking actor forgets it on its own.
    self->state.watched.erase(msg.source);
    for (auto& [shard, orders] : self->state.placed)
      for (auto o = orders.begin(); o != orders.end();) {
        auto& subs = o->second;
        subs.erase(std::remove_if(subs.begin(), subs.end(),
                                  [&](const caf::actor& a) {
                                    return a.address() == msg.source;
                                  }),
                   subs.end());
        o = subs.empty() ? orders.erase(o) : std::next(o);
      }
  });
  return {
      [=](caf::subscribe_atom a, const std::string& id, const caf::actor& who) {
        auto me = caf::actor_cast<caf::actor>(self);
        if (!who)
          return me;
        self->send(self->state.tracking, a, id, who);
        auto& subs = self->state.placed[order_shard_of(id)][id];
        if (std::find(subs.begin(), subs.end(), who) == subs.end()) {
          subs.push_back(who);
          if (self->state.watched[who.address()]++ == 0)
            self->monitor(who);
        }
        return me;
      },
      [=](order_unhost_atom, int32_t shard) {
        auto it = self->state.placed.find(shard);
        if (it == self->state.placed.end())
          return;
        for (auto& [id, subs] : it->second)
          for (auto& who : subs) {
            self->send(self->state.tracking, caf::unsubscribe_atom_v, id, who);
            self->send(who, tracking_moved_atom::value, id);
            forget(self, who);
          }
        self->state.placed.erase(it);
      },
  };
}

} // namespace

caf::actor spawn_tracking_gate(caf::actor_system& sys,
                               tracking_actor tracking) {
  return sys.spawn(tracking_gate, std::move(tracking));
}

} // namespace berry
