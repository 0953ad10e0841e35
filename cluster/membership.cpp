#include "cluster/membership.hpp"

#include "cluster/membership_impl.hpp"

namespace berry::cluster {

using namespace detail;
using namespace std::chrono_literals;

std::shared_ptr<const cluster_view> view_cell::get() const {
  std::lock_guard<std::mutex> lock(m_);
  return view_;
}

void view_cell::set(cluster_view v) {
  auto next = std::make_shared<const cluster_view>(std::move(v));
  std::vector<std::function<void()>> tell;
  {
    std::lock_guard<std::mutex> lock(m_);
    view_ = std::move(next);
    tell = on_change_;
  }
  for (auto& f : tell)
    f();
}

void view_cell::on_change(std::function<void()> f) {
  std::lock_guard<std::mutex> lock(m_);
  if (f)
    on_change_.push_back(std::move(f));
  else
    on_change_.clear();
}

/// The behaviour: each of etcd's answers moves one step (membership.hpp).
membership_actor::behavior_type membership(self_ptr self, membership_config cfg,
                                           std::shared_ptr<etcd_client> client,
                                           std::shared_ptr<view_cell> view) {
  auto& st = self->state;
  st.m.cfg = std::move(cfg);
  st.client = std::move(client);
  st.view = std::move(view);
  self->send(self, tick_atom::value);
  return {
      [=](leave_atom) -> caf::result<bool> {
        auto& st = self->state;
        st.is_leaving = true;
        auto lease = st.lease;
        fence(self);
        st.leaving = self->make_response_promise<bool>();
        if (lease == 0) {
          st.leaving.deliver(true);
          self->quit();
          return st.leaving;
        }
        st.revoking = lease;
        auto me = caf::actor_cast<membership_actor>(self);
        st.client->revoke(lease, [me, lease](etcd_result<int64_t> r) {
          caf::anon_send(me, renew_atom::value, lease, int64_t{0},
                         r ? int64_t{1} : int64_t{0});
        });
        return st.leaving;
      },
      [=](lease_atom, int64_t id, int64_t ttl) {
        auto& st = self->state;
        st.granting = false;
        if (id == 0 || st.is_leaving)
          return;
        st.lease = id;
        st.m.lease = id;
        st.ttl_s = ttl;
        st.renewed_at = clock::now();
        arm_deadline(self);
        auto me = caf::actor_cast<membership_actor>(self);
        st.client->put(st.m.node_key(), st.m.node_value(), id,
                       [me](etcd_result<int64_t> r) {
                         caf::anon_send(me, joined_atom::value, bool(r));
                       });
      },
      [=](joined_atom, bool ok) {
        auto& st = self->state;
        if (!ok || st.lease == 0)
          return fence(self); // a new lease at the next tick
        st.joined = true;
        resync(self);
      },
      [=](renew_atom, int64_t lease, int64_t ttl, int64_t sent) {
        auto& st = self->state;
        if (st.is_leaving) {
          if (lease == st.revoking && ttl == 0) { // the revoke's answer
            st.leaving.deliver(sent != 0);
            self->quit();
          }
          return;
        }
        if (lease != st.lease)
          return;
        if (ttl == 0)
          return fence(self);
        if (ttl < 0)
          return;
        st.renewed_at = std::max(
            st.renewed_at, clock::time_point(std::chrono::nanoseconds(sent)));
        arm_deadline(self);
      },
      [=](kv_atom, int64_t g, const std::string& key, const std::string& value,
          int64_t revision, int64_t lease, bool deleted) {
        auto& st = self->state;
        if (g != st.gen)
          return;
        st.m.apply(key, value, revision, lease, deleted);
        if (st.watching) {
          publish(self);
          reconcile(self);
        }
      },
      [=](synced_atom, int64_t g, int64_t revision) {
        if (g != self->state.gen)
          return;
        start_watch(self, revision + 1);
        publish(self);
        reconcile(self);
      },
      [=](resync_atom, int64_t g) {
        auto& st = self->state;
        if (g == -1 && st.joined)
          resync(self);
        else if (g == st.gen)
          self->delayed_send(self, 200ms, resync_atom::value, int64_t{-1});
      },
      [=](claimed_atom, const std::string& id, bool claimed, int64_t revision) {
        auto& st = self->state;
        st.m.claiming.erase(id);
        if (claimed && st.joined) {
          st.m.apply(st.m.shard_key(id), st.m.shard_value(), revision, st.lease,
                     false);
          publish(self);
        }
      },
      [=](tick_atom) { on_tick(self); },
      [=](deadline_atom, int64_t lease) {
        if (lease == self->state.lease && past_deadline(self->state))
          fence(self);
      },
  };
}

membership_actor spawn_membership(caf::actor_system& sys, membership_config cfg,
                                  std::shared_ptr<etcd_client> client,
                                  std::shared_ptr<view_cell> view) {
  return sys.spawn(membership, std::move(cfg), std::move(client),
                   std::move(view));
}

} // namespace berry::cluster
