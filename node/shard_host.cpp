#include "node/shard_host.hpp"

#include <caf/all.hpp>
#include <exception>
#include <optional>

#include "cluster/membership.hpp"
#include "cluster/placement.hpp"
#include "config/logging.hpp"
#include "storage/postgres.hpp"
#include "storage/postgres_journal.hpp"

namespace berry {

shard_moves plan_moves(const std::map<std::string, int64_t>& hosted,
                       const std::map<std::string, int64_t>& owned,
                       const std::map<std::string, int64_t>& refused) {
  shard_moves out;
  for (auto& [id, epoch] : hosted) {
    auto it = owned.find(id);
    if (it == owned.end() || it->second != epoch)
      out.stop.push_back(id);
  }
  for (auto& [id, epoch] : owned) {
    auto h = hosted.find(id);
    auto r = refused.find(id);
    bool same = h != hosted.end() && h->second == epoch;
    bool was_refused = r != refused.end() && r->second == epoch;
    if (!same && !was_refused)
      out.start.emplace_back(id, epoch);
  }
  return out;
}

namespace {

/// A PostgreSQL that cannot be reached: try again after this long.
constexpr auto retry_pause = std::chrono::milliseconds(250);

struct shard_host_state {
  shard_host_init init;
  std::map<std::string, int64_t> hosted;
  std::map<std::string, int64_t> refused;
  std::optional<storage::pg_connection> db;
  bool retry_armed = false;
  static inline const char* name = "shard-host";
};

using shard_host_self = shard_host_actor::stateful_pointer<shard_host_state>;

/// Raises the shard's fence to `epoch`; true when it is this node's now.
/// Throws pg_error when PostgreSQL cannot answer.
bool fence_in(shard_host_state& st, const std::string& id, int64_t epoch) {
  if (st.init.conninfo.empty())
    return true;
  if (!st.db)
    st.db = storage::pg_connection::open(st.init.conninfo,
                                         "SET lock_timeout = '5s'");
  return storage::claim_shard(*st.db, cluster::fence_key(id), epoch,
                              st.init.node_name);
}

void update(shard_host_self self) {
  auto& st = self->state;
  auto view = st.init.view->get();
  auto moves = plan_moves(st.hosted, view->mine(), st.refused);
  for (auto& id : moves.stop) {
    st.hosted.erase(id);
    log::info("shard stopped here", {{"shard", id}});
    if (st.init.on_unhost)
      st.init.on_unhost(id);
  }
  for (auto& [id, epoch] : moves.start) {
    auto t0 = std::chrono::steady_clock::now();
    try {
      if (!fence_in(st, id, epoch)) {
        st.refused[id] = epoch;
        log::warn("shard claim refused by the fence: a newer epoch exists",
                  {{"shard", id}, {"epoch", epoch}});
        continue;
      }
    } catch (const std::exception& e) {
      st.db.reset();
      log::error("cannot fence a shard; retrying",
                 {{"shard", id}, {"error", e.what()}});
      if (!st.retry_armed) {
        st.retry_armed = true;
        self->delayed_send(self, retry_pause, update_atom::value);
      }
      return;
    }
    st.hosted[id] = epoch;
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                  std::chrono::steady_clock::now() - t0)
                  .count();
    log::info("shard hosted here",
              {{"shard", id}, {"epoch", epoch}, {"fence_ms", int64_t{ms}}});
    if (st.init.on_host)
      st.init.on_host(id, epoch);
  }
}

shard_host_actor::behavior_type shard_host(shard_host_self self,
                                           shard_host_init init) {
  self->state.init = std::move(init);
  return {
      [=](update_atom) {
        self->state.retry_armed = false;
        update(self);
      },
  };
}

} // namespace

shard_host_actor spawn_shard_host(caf::actor_system& sys,
                                  shard_host_init init) {
  auto view = init.view;
  auto host = sys.spawn<caf::detached>(shard_host, std::move(init));
  view->on_change([host] { caf::anon_send(host, update_atom::value); });
  caf::anon_send(host, update_atom::value);
  return host;
}

} // namespace berry
