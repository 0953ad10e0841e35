#include "cluster/membership_impl.hpp"

namespace berry::cluster::detail {

using namespace std::chrono_literals;

namespace {

std::chrono::milliseconds tick_period(const membership_actor_state& st) {
  return st.ttl_s > 0 ? std::chrono::milliseconds(st.ttl_s * 1000 / 3) : 500ms;
}

} // namespace

int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             clock::now().time_since_epoch())
      .count();
}

std::chrono::milliseconds fence_margin(const membership_actor_state& st) {
  return std::max<std::chrono::milliseconds>(
      250ms, std::chrono::milliseconds(st.ttl_s * 1000) / 4);
}

bool past_deadline(const membership_actor_state& st) {
  return clock::now() - st.renewed_at >=
         std::chrono::seconds(st.ttl_s) - fence_margin(st);
}

void arm_deadline(self_ptr self) {
  auto& st = self->state;
  auto due = st.renewed_at + std::chrono::seconds(st.ttl_s) - fence_margin(st) -
             clock::now();
  self->delayed_send(self, std::chrono::ceil<std::chrono::milliseconds>(due),
                     deadline_atom::value, st.lease);
}

void publish(self_ptr self) {
  self->state.view->set(self->state.m.view());
}

void grant(self_ptr self) {
  auto& st = self->state;
  st.granting = true;
  auto me = caf::actor_cast<membership_actor>(self);
  st.client->grant(st.m.cfg.lease_ttl_s, [me](etcd_result<lease_grant> r) {
    caf::anon_send(me, lease_atom::value, r ? r->id : int64_t{0},
                   r ? r->ttl : int64_t{0});
  });
}

void resync(self_ptr self) {
  auto& st = self->state;
  auto g = ++st.gen;
  st.watch.reset();
  st.watching = false;
  st.m.reset();
  auto me = caf::actor_cast<membership_actor>(self);
  st.client->range(st.m.cfg.prefix, true, [me, g](etcd_result<range_result> r) {
    if (!r)
      return caf::anon_send(me, resync_atom::value, g);
    for (auto& kv : r->kvs)
      caf::anon_send(me, kv_atom::value, g, kv.key, kv.value,
                     kv.create_revision, kv.lease, false);
    caf::anon_send(me, synced_atom::value, g, r->revision);
  });
}

void start_watch(self_ptr self, int64_t from) {
  auto& st = self->state;
  auto me = caf::actor_cast<membership_actor>(self);
  auto g = st.gen;
  st.watch = st.client->watch(
      st.m.cfg.prefix, true, from, [me, g](etcd_result<watch_update> u) {
        if (!u || u->what == watch_update::kind::canceled)
          return caf::anon_send(me, resync_atom::value, g);
        for (auto& e : u->events)
          caf::anon_send(me, kv_atom::value, g, e.kv.key, e.kv.value,
                         e.kv.create_revision, e.kv.lease, e.deleted);
      });
  st.watching = true;
}

void reconcile(self_ptr self) {
  auto& st = self->state;
  if (!st.joined || !st.watching || st.is_leaving)
    return;
  auto me = caf::actor_cast<membership_actor>(self);
  for (auto& id : st.m.to_claim()) {
    st.m.claiming.insert(id);
    st.client->claim(st.m.shard_key(id), st.m.shard_value(), st.lease,
                     [me, id](etcd_result<claim_result> r) {
                       caf::anon_send(me, claimed_atom::value, id,
                                      r && r->claimed,
                                      r ? r->revision : int64_t{0});
                     });
  }
}

void fence(self_ptr self) {
  auto& st = self->state;
  st.m.drop_owned();
  st.lease = 0;
  st.m.lease = 0;
  st.joined = false;
  st.watch.reset();
  st.watching = false;
  st.m.nodes.erase(st.m.cfg.node_name);
  publish(self);
}

void on_tick(self_ptr self) {
  auto& st = self->state;
  if (st.is_leaving)
    return;
  if (st.lease != 0 && clock::now() - st.renewed_at >
                           std::chrono::seconds(st.ttl_s) - fence_margin(st))
    fence(self);
  if (st.lease == 0 && !st.granting) {
    grant(self);
  } else if (st.lease != 0) {
    auto me = caf::actor_cast<membership_actor>(self);
    auto lease = st.lease;
    auto sent = now_ns();
    st.client->keepalive(lease, [me, lease, sent](etcd_result<int64_t> r) {
      caf::anon_send(me, renew_atom::value, lease, r ? *r : int64_t{-1}, sent);
    });
    reconcile(self);
  }
  self->delayed_send(self, tick_period(st), tick_atom::value);
}

} // namespace berry::cluster::detail
