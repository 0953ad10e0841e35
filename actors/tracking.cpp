#include "actors/tracking.hpp"

#include <map>
#include <set>
#include <unordered_map>

#include <caf/all.hpp>

namespace berry {

namespace {

struct tracking_state {
  /// Subscribers by order.
  std::unordered_map<std::string, std::vector<caf::actor>> topics;
  /// The orders each subscriber follows, to forget it when it goes down.
  std::map<caf::actor_addr, std::set<std::string>> following;
  int64_t subscriptions = 0;
  static inline const char* name = "tracking";
};

using tracking_self = tracking_actor::stateful_pointer<tracking_state>;

void drop(tracking_self self, const std::string& order_id,
          const caf::actor_addr& who) {
  auto& st = self->state;
  auto t = st.topics.find(order_id);
  if (t == st.topics.end())
    return;
  auto& subs = t->second;
  auto before = subs.size();
  subs.erase(
      std::remove_if(subs.begin(), subs.end(),
                     [&](const caf::actor& a) { return a.address() == who; }),
      subs.end());
  st.subscriptions -= static_cast<int64_t>(before - subs.size());
  if (subs.empty())
    st.topics.erase(t);
}

tracking_actor::behavior_type tracking(tracking_self self) {
  self->set_down_handler([=](caf::down_msg& msg) {
    auto& st = self->state;
    auto f = st.following.find(msg.source);
    if (f == st.following.end())
      return;
    for (auto& order_id : f->second)
      drop(self, order_id, msg.source);
    st.following.erase(f);
  });
  return {
      [=](track_atom, const tracking_event& ev) {
        auto t = self->state.topics.find(ev.order_id);
        if (t == self->state.topics.end())
          return;
        for (auto& sub : t->second)
          caf::anon_send(sub, track_atom_v, ev);
      },
      [=](caf::subscribe_atom, const std::string& order_id,
          const caf::actor& who) {
        auto& st = self->state;
        if (!who)
          return;
        auto& followed = st.following[who.address()];
        if (!followed.insert(order_id).second)
          return; // already subscribed
        if (followed.size() == 1)
          self->monitor(who);
        st.topics[order_id].push_back(who);
        ++st.subscriptions;
      },
      [=](caf::unsubscribe_atom, const std::string& order_id,
          const caf::actor& who) {
        auto& st = self->state;
        auto f = st.following.find(who.address());
        if (f == st.following.end() || f->second.erase(order_id) == 0)
          return;
        drop(self, order_id, who.address());
        if (f->second.empty()) {
          self->demonitor(who);
          st.following.erase(f);
        }
      },
      [=](stats_atom) { return self->state.subscriptions; },
  };
}

} // namespace

tracking_actor spawn_tracking(caf::actor_system& sys) {
  return sys.spawn(tracking);
}

} // namespace berry
