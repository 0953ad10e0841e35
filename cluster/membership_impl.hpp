#pragma once

// Inside the membership actor: its state and the steps its behaviour
// (membership.cpp) is made of (membership_steps.cpp). Includes CAF's
// headers: only those two files include it.

#include <caf/all.hpp>
#include <chrono>

#include "cluster/membership.hpp"

namespace berry::cluster::detail {

using clock = std::chrono::steady_clock;

struct membership_actor_state {
  membership_state m;
  std::shared_ptr<etcd_client> client;
  std::shared_ptr<view_cell> view;
  int64_t lease = 0;
  int64_t ttl_s = 0;
  bool granting = false;
  bool joined = false;
  /// The read and watch in use; answers of older ones are dropped.
  int64_t gen = 0;
  bool watching = false;
  std::shared_ptr<etcd_watch> watch;
  /// When the last keepalive etcd renewed was sent: the lease lives at
  /// least TTL from then.
  clock::time_point renewed_at;
  caf::typed_response_promise<bool> leaving;
  bool is_leaving = false;
  /// The lease a leave revokes.
  int64_t revoking = 0;

  static inline const char* name = "membership";
};

using self_ptr = membership_actor::stateful_pointer<membership_actor_state>;

/// Now on the steady clock, in ns (keepalives carry when they were sent).
int64_t now_ns();
/// How long before the lease's end on our clock the node stops serving.
std::chrono::milliseconds fence_margin(const membership_actor_state& st);
/// Whether the lease may have ended by now, as far as this node knows.
bool past_deadline(const membership_actor_state& st);
/// The lease lives until at least renewed_at + TTL: schedules the check
/// that fences the node before then unless a later keepalive gets through.
void arm_deadline(self_ptr self);
/// Hands the view to its readers.
void publish(self_ptr self);
/// Asks etcd for a lease.
void grant(self_ptr self);
/// Reads every key afresh, then watches from there.
void resync(self_ptr self);
/// Watches every key of the cluster from revision `from`.
void start_watch(self_ptr self, int64_t from);
/// Claims what placement gives this node and nobody holds.
void reconcile(self_ptr self);
/// The lease is gone, or may be: stop owning anything now, join again.
void fence(self_ptr self);
/// Every TTL/3: keepalive, the deadline, a new lease when there is none.
void on_tick(self_ptr self);

} // namespace berry::cluster::detail
