#include "actors/shard_gate.hpp"

#include <algorithm>
#include <caf/all.hpp>
#include <chrono>
#include <exception>
#include <map>
#include <vector>

#include "config/logging.hpp"
#include "protocols/errors.hpp"

namespace berry {

namespace {

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
  static inline const char* name = "shard-gate";
};

using self_ptr = caf::stateful_actor<shard_gate_state>*;

// Private to the gate: a child let go of is stopped now.
using reap_atom = caf::atom_constant<caf::atom("gatereap")>;
// Never sent: no answer matches it, so every answer reaches the error
// handler as sec::unexpected_response, carrying the answer itself.
using never_atom = caf::atom_constant<caf::atom("gatenever")>;

/// How long a shard's actor let go of may finish what it was asked before
/// (a write on its way to the journal): its answers still reach the
/// callers; new requests meanwhile are answered unavailable by the gate.
constexpr auto drain_grace = std::chrono::seconds(2);

/// Stops the child: now (the gate goes down), or after drain_grace.
void stop_child(self_ptr self, bool drain = false) {
  auto& st = self->state;
  if (!st.child)
    return;
  self->demonitor(st.child);
  if (drain) {
    st.draining.push_back(st.child);
    self->delayed_send(self, drain_grace, reap_atom::value, st.child);
  } else {
    self->send_exit(st.child, caf::exit_reason::user_shutdown);
  }
  st.child = nullptr;
}

/// Stops a child let go of: its grace is over, or the gate goes down.
void reap(self_ptr self, const caf::actor& old) {
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

/// Asks the owner's gate on another node; its answer (or error) goes back
/// to the asker.
caf::response_promise ask_owner(self_ptr self, caf::message msg) {
  auto& st = self->state;
  auto rp = self->make_response_promise();
  auto key = ++st.last_asked;
  st.asked.emplace(key, rp);
  self->request(st.route, st.init.remote_timeout, std::move(msg))
      .then([](never_atom) {},
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
  return rp;
}

/// A new route (or none): what is still out on the old one is answered
/// unavailable now (a link that went down never answers).
void set_route(self_ptr self, caf::actor to) {
  auto& st = self->state;
  if (st.route == to)
    return;
  st.route = std::move(to);
  for (auto& [key, rp] : st.asked)
    rp.deliver(unreachable(st));
  st.asked.clear();
}

caf::behavior shard_gate(self_ptr self, shard_gate_init init) {
  self->state.init = std::move(init);
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
    self->quit(msg.reason);
  });
  // Everything else is the shard's business: served here, forwarded to
  // its owner (what this node's actors ask only), or not served.
  self->set_default_handler(
      [=](caf::scheduled_actor*,
          caf::message_view& view) -> caf::result<caf::message> {
        auto& st = self->state;
        if (st.child) {
          auto rp = self->make_response_promise();
          rp.delegate(st.child, view.move_content_to_message());
          return rp;
        }
        auto& from = self->current_sender();
        bool ours = !from || from->node() == self->node();
        if (st.route && ours)
          return ask_owner(self, view.move_content_to_message());
        return caf::make_error(berry_errc::unavailable,
                               st.init.name + " is not served by this node");
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
      },
      [=](gate_unhost_atom) { stop_child(self, true); },
      [=](gate_route_atom, caf::actor& to) { set_route(self, std::move(to)); },
      [=](reap_atom, const caf::actor& old) { reap(self, old); },
  };
}

} // namespace

caf::actor spawn_shard_gate(caf::actor_system& sys, shard_gate_init init) {
  return sys.spawn(shard_gate, std::move(init));
}

} // namespace berry
