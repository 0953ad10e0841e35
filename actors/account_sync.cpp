#include "actors/account_sync.hpp"

#include <algorithm>
#include <unordered_map>
#include <utility>
#include <vector>

#include <caf/all.hpp>

#include "actors/account_lookups.hpp"
#include "actors/accounts_tokens.hpp"
#include "actors/clock.hpp"
#include "actors/worker_pool.hpp"
#include "config/logging.hpp"
#include "protocols/errors.hpp"
#include "storage/accounts_repo.hpp"
#include "storage/read_connection.hpp"

namespace berry {

namespace {

/// The sync actor plus its workers' answers: (user, version found or -1,
/// whether storage failed) for a read, (whether it worked) for a reread.
using sync_impl = account_sync_actor::extend<
    caf::reacts_to<step_atom, std::string, int64_t, bool>,
    caf::reacts_to<step_atom, bool>>;

/// An edge request waiting for the read of its token's account.
struct learner {
  caf::typed_response_promise<bool> rp;
  int64_t version;
};

struct sync_state {
  account_sync_init cfg;
  std::unique_ptr<account_lookups> lookups;
  std::unique_ptr<wall_clock> clock;
  std::unordered_map<std::string, std::vector<learner>> learners;
  /// Other nodes' sync actors.
  std::vector<account_sync_actor> subscribers;
  bool rereading = false;
  bool reread_again = false;
  static inline const char* name = "account-sync";
};

using sync_self = sync_impl::stateful_pointer<sync_state>;

int64_t now_ms(sync_self self) {
  return (*self->state.clock)(self->clock().now());
}

caf::error sync_busy() {
  return caf::make_error(berry_errc::unavailable,
                         "too many accounts are being read; try again shortly",
                         int64_t{1});
}

/// Reads account `user` on a worker.
bool start_read(sync_self self, const std::string& user) {
  auto me = caf::actor_cast<sync_impl>(self);
  auto job = [me, user, read = self->state.cfg.read_version] {
    int64_t found = -1;
    bool failed = false;
    try {
      found = read(user);
    } catch (const std::exception& e) {
      log::warn("an account could not be read", {{"error", e.what()}});
      failed = true;
    }
    caf::anon_send(me, step_atom_v, user, found, failed);
  };
  return self->state.cfg.run(std::move(job), nullptr);
}

caf::result<bool> learn(sync_self self, const std::string& user,
                        int64_t version) {
  auto& st = self->state;
  if (st.cfg.tokens->version_of(user) >= version)
    return true;
  switch (st.lookups->begin(user, version, now_ms(self))) {
  case account_lookups::step::missing:
    return false;
  case account_lookups::step::busy:
    return sync_busy();
  case account_lookups::step::ask:
    if (!start_read(self, user)) {
      st.lookups->abandon(user);
      return sync_busy();
    }
    break;
  case account_lookups::step::wait:
    break;
  }
  auto rp = self->make_response_promise<bool>();
  st.learners[user].push_back({rp, version});
  return rp;
}

/// A read is back: the registry learns what it found, its learners hear.
void on_read(sync_self self, const std::string& user, int64_t found,
             bool failed) {
  auto& st = self->state;
  if (failed)
    st.lookups->abandon(user);
  else
    st.lookups->finish(user, found, now_ms(self));
  if (found >= 0)
    st.cfg.tokens->learn(user, found);
  auto i = st.learners.find(user);
  if (i == st.learners.end())
    return;
  auto waiting = std::move(i->second);
  st.learners.erase(i);
  auto known = st.cfg.tokens->version_of(user);
  for (auto& w : waiting)
    if (failed)
      w.rp.deliver(caf::make_error(berry_errc::unavailable,
                                   "the account could not be read"));
    else
      w.rp.deliver(known >= w.version);
}

/// Rereads on a worker; one at a time, and once more if asked meanwhile.
void reread(sync_self self) {
  auto& st = self->state;
  if (st.rereading) {
    st.reread_again = true;
    return;
  }
  auto me = caf::actor_cast<sync_impl>(self);
  auto job = [me, tokens = st.cfg.tokens, read = st.cfg.reread] {
    bool ok = true;
    try {
      read(*tokens);
    } catch (const std::exception& e) {
      log::warn("signed-out tokens could not be reread", {{"error", e.what()}});
      ok = false;
    }
    caf::anon_send(me, step_atom_v, ok);
  };
  st.rereading = st.cfg.run(std::move(job), nullptr);
  st.reread_again = !st.rereading;
}

/// Relays `xs` to every other node's sync actor.
template <class... Ts>
void relay(sync_self self, const Ts&... xs) {
  for (auto& s : self->state.subscribers)
    self->send(s, xs...);
}

/// Subscribes to another node's sync actor; rereads once it took it.
void subscribe(sync_self self, const caf::actor& other) {
  if (!other)
    return;
  self->request(other, self->state.cfg.timeout, acc_subscribe_atom::value,
                caf::actor_cast<caf::actor>(self))
      .then([=](bool) { reread(self); },
            [=](caf::error& err) {
              log::warn("a node did not take the accounts subscription",
                        {{"error", self->system().render(err)}});
              reread(self);
            });
}

sync_impl::behavior_type account_sync(sync_self self, account_sync_init init) {
  auto& st = self->state;
  st.lookups = std::make_unique<account_lookups>(init.miss_ttl.count(),
                                                 init.max_pending);
  st.cfg = std::move(init);
  st.clock = std::make_unique<wall_clock>(self->clock().now());
  if (st.cfg.reread_every.count() > 0)
    self->delayed_send(self, st.cfg.reread_every, acc_reread_atom::value);
  self->set_down_handler([=](caf::down_msg& msg) {
    auto& subs = self->state.subscribers;
    subs.erase(std::remove_if(subs.begin(), subs.end(),
                              [&](const account_sync_actor& s) {
                                return s.address() == msg.source;
                              }),
               subs.end());
  });
  return {
      [=](acc_learn_atom, const std::string& user, int64_t version) {
        return learn(self, user, version);
      },
      [=](acc_version_atom, const std::string& user, int64_t version) {
        self->state.cfg.tokens->learn(user, version);
      },
      [=](acc_revoked_atom, const std::string& id, int64_t expires_at) {
        self->state.cfg.tokens->revoke(id, expires_at, now_ms(self) / 1000);
      },
      [=](acc_relay_atom, acc_version_atom a, const std::string& user,
          int64_t version) { relay(self, a, user, version); },
      [=](acc_relay_atom, acc_revoked_atom a, const std::string& id,
          int64_t expires_at) { relay(self, a, id, expires_at); },
      [=](acc_subscribe_atom, const caf::actor& from) {
        auto& subs = self->state.subscribers;
        auto other = caf::actor_cast<account_sync_actor>(from);
        if (other && std::find(subs.begin(), subs.end(), other) == subs.end()) {
          subs.push_back(other);
          self->monitor(other);
        }
        return true;
      },
      [=](acc_peer_atom, const caf::actor& other) { subscribe(self, other); },
      [=](acc_reread_atom) {
        reread(self);
        if (self->state.cfg.reread_every.count() > 0)
          self->delayed_send(self, self->state.cfg.reread_every,
                             acc_reread_atom::value);
      },
      [=](step_atom, const std::string& user, int64_t found, bool failed) {
        on_read(self, user, found, failed);
      },
      [=](step_atom, bool) {
        self->state.rereading = false;
        if (std::exchange(self->state.reread_again, false))
          reread(self);
      },
  };
}

} // namespace

account_sync_actor spawn_account_sync(caf::actor_system& sys,
                                      account_sync_init init) {
  if (!init.run) {
    // One thread: reads are quick, and a flood waits here, not in storage.
    auto pool = std::make_shared<worker_pool>(1, init.max_pending, 5);
    init.run = [pool](std::function<void()> job, client_gone_flag gone) {
      return pool->try_post(std::move(job), std::move(gone));
    };
  }
  return caf::actor_cast<account_sync_actor>(
      sys.spawn(account_sync, std::move(init)));
}

std::function<int64_t(const std::string&)>
storage_version_reader(std::string db) {
  return [db = std::move(db)](const std::string& id) -> int64_t {
    auto user = storage::find_user_by_id(storage::read_connection(db), id);
    return user ? user->token_version : -1;
  };
}

std::function<void(token_registry&)> storage_rereader(std::string db) {
  return [db = std::move(db)](token_registry& tokens) {
    auto now = system_now_ms() / 1000;
    auto book = storage::load_token_changes(storage::read_connection(db), now);
    for (auto& [user, version] : book.versions)
      tokens.learn(user, version);
    for (auto& [id, expires_at] : book.revoked)
      tokens.revoke(id, expires_at, now);
  };
}

} // namespace berry
