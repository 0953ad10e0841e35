#include "actors/shard_gate.hpp"

#include <algorithm>
#include <caf/all.hpp>
#include <chrono>
#include <exception>
#include <map>
#include <utility>
#include <vector>

#include "actors/waiting_room.hpp"
#include "config/logging.hpp"
#include "protocols/errors.hpp"

namespace berry {

namespace {

/// A request that waits for its shard to be hosted or routed.
struct parked {
  caf::message msg;
  caf::response_promise rp;
  /// Asked by an actor of this node (may be routed on), not another node.
  bool ours;
  caf::actor_clock::time_point until;
};

struct shard_gate_state {
  shard_gate_init init;
  caf::actor child;
  int64_t epoch = 0;
  /// The shard's gate on the node that hosts it, while that is another.
  caf::actor route;
  /// Questions asked on `route` and not answered yet, by a number of ours.
  std::map<uint64_t, caf::response_promise> asked;
  uint64_t last_asked = 0;
  /// Children let go of, finishing what they were asked.
  std::vector<caf::actor> draining;
  /// Whether what cannot be served or routed now waits (gate_wait_atom).
  bool wait = false;
  /// Requests waiting for the shard to be hosted here or routed.
  waiting_room<parked> waiting;
  static inline const char* name = "shard-gate";
};

using gate_self = caf::stateful_actor<shard_gate_state>*;

// Private to the gate: a child let go of is stopped now.
using reap_atom = caf::atom_constant<caf::atom("gatereap")>;
// Private to the gate: answer the requests that waited too long.
using gate_sweep_atom = caf::atom_constant<caf::atom("gatesweep")>;
// Never sent: no answer matches it, so every answer reaches the error
// handler as sec::unexpected_response, carrying the answer itself.
using gate_never_atom = caf::atom_constant<caf::atom("gatenever")>;

/// Stops the child: now (the gate goes down, or no grace), or after the
/// init's drain_grace, in which it may finish what it was asked (a write on
/// its way to the journal): its answers still reach the callers; new
/// requests meanwhile are answered unavailable by the gate.
void stop_child(gate_self self, bool drain = false) {
  auto& st = self->state;
  if (!st.child)
    return;
  self->demonitor(st.child);
  if (drain && st.init.drain_grace.count() > 0) {
    st.draining.push_back(st.child);
    self->delayed_send(self, st.init.drain_grace, reap_atom::value, st.child);
  } else {
    self->send_exit(st.child, caf::exit_reason::user_shutdown);
  }
  st.child = nullptr;
}

/// Stops a child let go of: its grace is over, or the gate goes down.
void reap(gate_self self, const caf::actor& old) {
  auto& d = self->state.draining;
  auto it = std::find(d.begin(), d.end(), old);
  if (it == d.end())
    return;
  self->send_exit(old, caf::exit_reason::user_shutdown);
  d.erase(it);
}

caf::error unreachable(const shard_gate_state& st) {
  return caf::make_error(berry_errc::unavailable,
                         st.init.name + " is not reachable on its owner");
}

caf::error not_served(const shard_gate_state& st) {
  return caf::make_error(berry_errc::unavailable,
                         st.init.name + " is not served by this node");
}

/// Asks the owner's gate on another node; its answer (or error) goes back
/// to the asker's `rp`.
void ask_owner(gate_self self, caf::message msg, caf::response_promise rp) {
  auto& st = self->state;
  auto key = ++st.last_asked;
  st.asked.emplace(key, rp);
  self->request(st.route, st.init.remote_timeout, std::move(msg))
      .then([](gate_never_atom) {},
            [=](caf::error& err) {
              auto& asked = self->state.asked;
              auto it = asked.find(key);
              if (it == asked.end())
                return; // answered unavailable when its route went
              auto out = std::move(it->second);
              asked.erase(it);
              if (err == caf::sec::unexpected_response)
                out.deliver(std::move(err.context()));
              else if (err == caf::sec::request_timeout ||
                       err == caf::sec::request_receiver_down)
                out.deliver(unreachable(self->state));
              else
                out.deliver(std::move(err));
            });
}

/// Serves, routes, keeps waiting or refuses one request.
void dispatch(gate_self self, parked x) {
  auto& st = self->state;
  if (st.child) {
    x.rp.delegate(st.child, std::move(x.msg));
  } else if (st.route && x.ours) {
    ask_owner(self, std::move(x.msg), std::move(x.rp));
  } else if (st.wait && !st.waiting.full()) {
    if (auto sweep_in = st.waiting.hold(std::move(x), self->clock().now()))
      self->delayed_send(self, *sweep_in, gate_sweep_atom::value);
  } else {
    x.rp.deliver(not_served(st));
  }
}

/// The shard was hosted or routed, or stopped waiting: the waiting
/// requests go on (or are refused) in the order they came.
void release_waiting(gate_self self) {
  auto& st = self->state;
  if (st.waiting.empty() || (!st.child && !st.route && st.wait))
    return;
  for (auto& x : st.waiting.take_all())
    dispatch(self, std::move(x));
}

/// Answers unavailable what waited its wait_for out.
void sweep(gate_self self) {
  auto& st = self->state;
  if (auto next = st.waiting.sweep(self->clock().now(), [&](parked& x) {
        x.rp.deliver(not_served(st));
      }))
    self->delayed_send(self, *next, gate_sweep_atom::value);
}

/// A new route (or none): what is still out on the old one is answered
/// unavailable now (a link that went down never answers).
void set_route(gate_self self, caf::actor to) {
  auto& st = self->state;
  if (st.route == to)
    return;
  st.route = std::move(to);
  for (auto& [key, rp] : st.asked)
    rp.deliver(unreachable(st));
  st.asked.clear();
  release_waiting(self);
}

caf::behavior shard_gate(gate_self self, shard_gate_init init) {
  self->state.init = std::move(init);
  self->state.waiting.set_capacity(self->state.init.max_waiting);
  self->set_down_handler([=](caf::down_msg& msg) {
    auto& st = self->state;
    if (st.child && msg.source == st.child.address()) {
      log::warn("shard actor went down; unavailable until hosted again",
                {{"shard", st.init.name},
                 {"error", self->system().render(msg.reason)}});
      st.child = nullptr;
    }
  });
  self->set_exit_handler([=](caf::exit_msg& msg) {
    stop_child(self);
    for (auto& old : self->state.draining)
      self->send_exit(old, caf::exit_reason::user_shutdown);
    self->state.draining.clear();
    for (auto& x : self->state.waiting.take_all())
      x.rp.deliver(not_served(self->state));
    self->quit(msg.reason);
  });
  // Everything else is the shard's business: served here, forwarded to
  // its owner (what this node's actors ask only), or not served.
  self->set_default_handler(
      [=](caf::scheduled_actor*,
          caf::message_view& view) -> caf::result<caf::message> {
        auto& from = self->current_sender();
        parked x{view.move_content_to_message(), self->make_response_promise(),
                 !from || from->node() == self->node(),
                 self->clock().now() + self->state.init.wait_for};
        auto rp = x.rp;
        dispatch(self, std::move(x));
        return rp;
      });
  return {
      [=](gate_host_atom, int64_t epoch) {
        auto& st = self->state;
        stop_child(self, true);
        st.epoch = epoch;
        try {
          st.child = st.init.start(self->system(), epoch);
          self->monitor(st.child);
        } catch (const std::exception& e) {
          log::error("cannot start a shard's actor",
                     {{"shard", st.init.name}, {"error", e.what()}});
        }
        release_waiting(self);
      },
      [=](gate_unhost_atom) { stop_child(self, true); },
      [=](gate_route_atom, caf::actor& to) { set_route(self, std::move(to)); },
      [=](gate_wait_atom, bool wait) {
        self->state.wait = wait;
        release_waiting(self);
      },
      [=](gate_sweep_atom) { sweep(self); },
      [=](reap_atom, const caf::actor& old) { reap(self, old); },
  };
}

} // namespace

caf::actor spawn_shard_gate(caf::actor_system& sys, shard_gate_init init) {
  return sys.spawn(shard_gate, std::move(init));
}

} // namespace berry
