#include "actors/supervisor.hpp"

#include <chrono>
#include <exception>
#include <string>

#include <caf/all.hpp>

#include "config/logging.hpp"
#include "protocols/errors.hpp"

namespace berry {

namespace {

// Private to the supervisor, so no message meant for the child is mistaken
// for it.
using restart_atom = caf::atom_constant<caf::atom("suprestart")>;

struct supervisor_state {
  supervisor_init init;
  caf::actor child;
  /// The child's recent restarts (by the actor clock).
  restart_history restarts;
  /// Messages that came while no child was running.
  std::vector<std::pair<caf::response_promise, caf::message>> waiting;
  static inline const char* name = "supervisor";
};

using supervisor_self = caf::stateful_actor<supervisor_state>*;

void start_child(supervisor_self self) {
  auto& st = self->state;
  st.child = st.init.start(self->system());
  self->monitor(st.child);
  if (st.init.on_start)
    st.init.on_start(st.child);
  for (auto& [rp, msg] : st.waiting)
    rp.delegate(st.child, std::move(msg));
  st.waiting.clear();
}

/// How long a restart waits for a store that is away (a database restart,
/// a failover) before it asks again. Waiting for storage is not a crash: it
/// does not count against the restart limit.
constexpr auto storage_retry_pause = std::chrono::milliseconds(250);

void wait_for_storage(supervisor_self self, const std::string& what) {
  log::warn("restart waits for storage",
            {{"child", self->state.init.name}, {"error", what}});
  self->delayed_send(self, storage_retry_pause, restart_atom::value);
}

/// Starts the child, whose start reads storage; a store that cannot be
/// read makes the supervisor try again later instead of going down.
void try_start_child(supervisor_self self) {
  try {
    start_child(self);
  } catch (const std::exception& e) {
    wait_for_storage(self, e.what());
  }
}

void restart(supervisor_self self) {
  auto& st = self->state;
  if (!st.init.journal) {
    try_start_child(self);
    return;
  }
  // A barrier: everything the old child sent the journal is committed
  // before the new one reads storage. A barrier that fails means the store
  // is away: the new child could not read it either.
  self->request(st.init.journal, caf::infinite, write_atom_v, journal_batch{})
      .then([=](uint64_t) { try_start_child(self); },
            [=](caf::error& err) {
              wait_for_storage(self, self->system().render(err));
            });
}

void on_child_down(supervisor_self self, caf::down_msg& msg) {
  auto& st = self->state;
  if (!st.child || msg.source != st.child.address())
    return;
  st.child = nullptr;
  // A child whose shard moved to another node must not come back here.
  if (!msg.reason || msg.reason == caf::exit_reason::normal ||
      msg.reason == caf::exit_reason::user_shutdown ||
      is_error(msg.reason, berry_errc::shard_moved)) {
    self->quit(msg.reason);
    return;
  }
  auto pause = st.restarts.next(st.init.restart, self->clock().now());
  if (!pause) {
    log::error("supervisor gives up",
               {{"child", st.init.name},
                {"error", self->system().render(msg.reason)}});
    for (auto& [rp, m] : st.waiting)
      rp.deliver(msg.reason);
    st.waiting.clear();
    self->quit(msg.reason);
    return;
  }
  log::warn("child crashed; restarting",
            {{"child", st.init.name},
             {"error", self->system().render(msg.reason)},
             {"pause_ms", static_cast<int64_t>(pause->count())}});
  self->delayed_send(self, *pause, restart_atom::value);
}

caf::behavior supervisor(supervisor_self self, supervisor_init init) {
  self->state.init = std::move(init);
  start_child(self);
  self->set_down_handler([=](caf::down_msg& msg) { on_child_down(self, msg); });
  self->set_exit_handler([=](caf::exit_msg& msg) {
    if (self->state.child)
      self->send_exit(self->state.child, msg.reason);
    self->quit(msg.reason);
  });
  // Everything else is the child's business.
  self->set_default_handler(
      [=](caf::scheduled_actor*,
          caf::message_view& view) -> caf::result<caf::message> {
        auto msg = view.move_content_to_message();
        auto rp = self->make_response_promise();
        if (self->state.child)
          rp.delegate(self->state.child, std::move(msg));
        else
          self->state.waiting.emplace_back(rp, std::move(msg));
        return rp;
      });
  return {
      [=](restart_atom) { restart(self); },
  };
}

} // namespace

caf::actor spawn_supervisor(caf::actor_system& sys, supervisor_init init) {
  return sys.spawn(supervisor, std::move(init));
}

} // namespace berry
