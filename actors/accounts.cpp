#include "actors/accounts.hpp"

#include <memory>
#include <stdexcept>
#include <unordered_map>
#include <utility>

#include <caf/all.hpp>

#include "actors/accounts_tokens.hpp"
#include "actors/clock.hpp"
#include "actors/login_limiter.hpp"
#include "actors/passwords.hpp"
#include "actors/worker_pool.hpp"
#include "config/logging.hpp"
#include "protocols/errors.hpp"
#include "storage/accounts_repo.hpp"
#include "storage/read_connection.hpp"

namespace berry {

namespace {

/// What a worker found: an account, or why not.
struct worker_answer {
  caf::error err;
  user_account account;
};

/// The accounts actor plus its own message: worker job `id` is done.
using accounts_impl = accounts_actor::extend<
    caf::reacts_to<step_atom, uint64_t, caf::error, user_account>>;

/// What the actor does with a worker's answer.
using continuation = std::function<void(caf::error&, user_account&)>;

struct accounts_state {
  accounts_init cfg;
  login_limiter limiter;
  std::unique_ptr<wall_clock> clock;
  uint64_t last_job = 0;
  /// Jobs out on the workers, by id.
  std::unordered_map<uint64_t, continuation> waiting;
  static inline const char* name = "accounts";
};

using accounts_self = accounts_impl::stateful_pointer<accounts_state>;

using principal_promise = caf::typed_response_promise<account_principal>;

caf::error email_taken() {
  return caf::make_error(berry_errc::conflict, "email already registered");
}

caf::error wrong_password() {
  return caf::make_error(berry_errc::unauthorized, "wrong email or password");
}

caf::error storage_failed(const char* what, const std::exception& e) {
  log::error(what, {{"error", e.what()}});
  return caf::make_error(storage::store_unreachable(e)
                             ? berry_errc::unavailable
                             : berry_errc::storage_failure,
                         std::string{"the "} + what);
}

// Verified against when the email is unknown, so that a login takes as long
// whether or not the account exists.
const std::string& dummy_hash() {
  static const std::string hash = hash_password("no account has this one");
  return hash;
}

/// The worker's half of a login: the account, when the password matches.
worker_answer check_login(const user_finder& find, const credentials& c) {
  try {
    if (c.password.size() > max_password_bytes)
      return {wrong_password(), {}};
    auto user = find(c.email);
    if (!verify_password(c.password, user ? user->password_hash : dummy_hash()))
      return {wrong_password(), {}};
    if (!user)
      return {wrong_password(), {}};
    return {{}, std::move(*user)};
  } catch (const std::exception& e) {
    return {storage_failed("login could not be checked", e), {}};
  }
}

/// The worker's half of the admin account: its hash and token version. The
/// same password as before keeps the hash and the tokens; a new one revokes
/// every older token.
worker_answer admin_account(const user_finder& find, const credentials& c,
                            int64_t now_ms) {
  try {
    auto old = find(c.email);
    if (old && old->role == "admin" &&
        verify_password(c.password, old->password_hash))
      return {{}, std::move(*old)};
    user_account admin{old ? old->id : new_user_id(),
                       c.email,
                       {},
                       "admin",
                       hash_password(c.password),
                       now_ms,
                       old ? old->token_version + 1 : 0};
    return {{}, std::move(admin)};
  } catch (const std::exception& e) {
    return {storage_failed("admin account could not be made", e), {}};
  }
}

/// The worker's half of a registration: the new account with its hash,
/// unless the email is taken.
worker_answer new_account(const user_finder& find, const registration& r,
                          int64_t now_ms) {
  try {
    // Cheap early answer for the usual duplicate; the UNIQUE constraint
    // still decides when two registrations race.
    if (find(r.email))
      return {email_taken(), {}};
    return {{},
            {new_user_id(), r.email, r.name, "customer",
             hash_password(r.password), now_ms}};
  } catch (const std::exception& e) {
    return {storage_failed("account could not be created", e), {}};
  }
}

int64_t now_ms(accounts_self self) {
  return (*self->state.clock)(self->clock().now());
}

/// A full queue: the edge answers 503 with Retry-After.
caf::error busy() {
  return caf::make_error(
      berry_errc::unavailable,
      "too many logins and registrations at once; try again shortly",
      int64_t{1});
}

/// A job whose client has gone: nobody waits for its answer.
caf::error client_gone() {
  return caf::make_error(berry_errc::unavailable, "the client has gone");
}

/// Runs `work` on a worker; `then` gets its answer back on the actor.
/// False, and neither runs, when no worker can take it. A job whose client
/// has gone, or that waited longer than max_queue_wait, answers an error
/// without working.
template <class Work>
bool submit(accounts_self self, Work work, continuation then,
            client_gone_flag gone = nullptr) {
  auto& st = self->state;
  auto id = ++st.last_job;
  auto me = caf::actor_cast<accounts_impl>(self);
  auto due = std::chrono::steady_clock::now() + st.cfg.max_queue_wait;
  auto job = [me, id, due, gone, dropped = st.cfg.dropped,
              work = std::move(work)] {
    auto drop = [&](caf::error why, std::atomic<uint64_t>* count) {
      if (count)
        ++*count;
      caf::anon_send(me, step_atom_v, id, std::move(why), user_account{});
    };
    if (gone && gone->load())
      return drop(client_gone(), dropped ? &dropped->client_gone : nullptr);
    if (std::chrono::steady_clock::now() > due)
      return drop(busy(), dropped ? &dropped->waited_too_long : nullptr);
    auto a = work();
    caf::anon_send(me, step_atom_v, id, std::move(a.err), std::move(a.account));
  };
  if (!st.cfg.run(std::move(job), std::move(gone)))
    return false;
  st.waiting.emplace(id, std::move(then));
  return true;
}

/// Writes `cmd` through the journal; `done` gets nothing or its error.
void write(accounts_self self, journal_command cmd,
           std::function<void(const caf::error&)> done) {
  auto& cfg = self->state.cfg;
  self->request(cfg.journal, cfg.write_timeout, write_atom_v,
                journal_batch{{std::move(cmd)}})
      .then([=](uint64_t) { done({}); }, [=](caf::error& e) { done(e); });
}

/// `user` is stored at its token version: the edge and the other nodes
/// take tokens of it at that version from now on.
void stored_version(accounts_self self, const user_account& user) {
  auto& cfg = self->state.cfg;
  if (cfg.tokens)
    cfg.tokens->set_version(user.id, user.token_version);
  if (cfg.on_version)
    cfg.on_version(user.id, user.token_version);
}

caf::result<account_principal> sign_up(accounts_self self, registration& r) {
  auto rp = self->make_response_promise<account_principal>();
  auto then = [=](caf::error& err, user_account& user) mutable {
    if (err) {
      rp.deliver(err);
      return;
    }
    write(self, user_created{user}, [=](const caf::error& e) mutable {
      if (e && is_error(e, berry_errc::conflict)) {
        rp.deliver(email_taken());
      } else if (e) {
        rp.deliver(e);
      } else {
        stored_version(self, user);
        log::info("account registered", {{"user_id", user.id}});
        rp.deliver(account_principal{user.id, user.role, user.token_version});
      }
    });
  };
  auto gone = r.gone;
  auto work = [find = self->state.cfg.find, r = std::move(r),
               now = now_ms(self)] { return new_account(find, r, now); };
  if (!submit(self, std::move(work), std::move(then), std::move(gone)))
    rp.deliver(busy());
  return rp;
}

caf::result<account_principal> log_in(accounts_self self, credentials& c) {
  auto& limiter = self->state.limiter;
  auto key = login_limiter::key(c.client, c.email);
  if (auto wait = limiter.retry_after(key, now_ms(self) / 1000))
    return caf::make_error(berry_errc::rate_limited,
                           "too many failed logins for this account; try later",
                           wait);
  auto rp = self->make_response_promise<account_principal>();
  auto then = [=](caf::error& err, user_account& user) mutable {
    auto& limiter = self->state.limiter;
    if (!err)
      limiter.record_success(key);
    else if (is_error(err, berry_errc::unauthorized))
      limiter.record_failure(key, now_ms(self) / 1000);
    else
      limiter.record_abandoned(key);
    if (err)
      rp.deliver(err);
    else
      rp.deliver(account_principal{user.id, user.role, user.token_version});
  };
  auto gone = c.gone;
  auto work = [find = self->state.cfg.find, c = std::move(c)] {
    return check_login(find, c);
  };
  // Counted before the hash is checked: a burst of guesses sees it at once.
  limiter.record_attempt(key);
  if (!submit(self, std::move(work), std::move(then), std::move(gone))) {
    limiter.record_abandoned(key);
    rp.deliver(busy());
  }
  return rp;
}

caf::result<bool> make_admin_account(accounts_self self, credentials& c) {
  auto email = normalize_email(c.email);
  if (!email)
    return caf::make_error(berry_errc::validation,
                           "BERRY_ADMIN_EMAIL is not a valid email");
  if (auto why = password_problem(c.password, min_admin_password_chars))
    return caf::make_error(berry_errc::validation,
                           "BERRY_ADMIN_PASSWORD: " + *why);
  c.email = *email;
  auto rp = self->make_response_promise<bool>();
  auto then = [=](caf::error& err, user_account& admin) mutable {
    if (err) {
      rp.deliver(err);
      return;
    }
    write(self, admin_put{admin}, [=](const caf::error& e) mutable {
      if (!e)
        stored_version(self, admin);
      if (e)
        rp.deliver(e);
      else
        rp.deliver(true);
    });
  };
  auto work = [find = self->state.cfg.find, c = std::move(c),
               now = now_ms(self)] { return admin_account(find, c, now); };
  if (!submit(self, std::move(work), std::move(then)))
    rp.deliver(busy());
  return rp;
}

/// Stores a signed-out token, then has the edge refuse it.
caf::result<bool> log_out(accounts_self self, token_revoked& t) {
  auto rp = self->make_response_promise<bool>();
  write(self, t, [=](const caf::error& e) mutable {
    if (e) {
      rp.deliver(e);
      return;
    }
    auto& cfg = self->state.cfg;
    if (cfg.tokens)
      cfg.tokens->revoke(t.token_id, t.expires_at, now_ms(self) / 1000);
    if (cfg.on_revoked)
      cfg.on_revoked(t.token_id, t.expires_at);
    rp.deliver(true);
  });
  return rp;
}

accounts_impl::behavior_type accounts(accounts_self self, accounts_init init) {
  auto& st = self->state;
  st.limiter = login_limiter{init.limits};
  st.cfg = std::move(init);
  st.clock = std::make_unique<wall_clock>(self->clock().now());
  return {
      [=](register_atom, registration& r) { return sign_up(self, r); },
      [=](login_atom, credentials& c) { return log_in(self, c); },
      [=](admin_atom, credentials& c) { return make_admin_account(self, c); },
      [=](logout_atom, token_revoked& t) { return log_out(self, t); },
      [=](step_atom, uint64_t id, caf::error& err, user_account& account) {
        auto i = self->state.waiting.find(id);
        if (i == self->state.waiting.end())
          return;
        auto then = std::move(i->second);
        self->state.waiting.erase(i);
        then(err, account);
      },
  };
}

} // namespace

accounts_actor spawn_accounts(caf::actor_system& sys, accounts_init init) {
  if (!init.run) {
    // Below the search pool's priority: a flood of logins slows logins,
    // not the catalog.
    auto pool =
        std::make_shared<worker_pool>(init.threads, init.queue_capacity, 5);
    init.run = [pool](std::function<void()> job, client_gone_flag gone) {
      return pool->try_post(std::move(job), std::move(gone));
    };
  }
  return caf::actor_cast<accounts_actor>(sys.spawn(accounts, std::move(init)));
}

void make_admin(caf::actor_system& sys, const accounts_actor& accounts,
                const std::string& email, const std::string& password) {
  caf::error failed;
  caf::scoped_actor self{sys};
  self->request(accounts, std::chrono::seconds(60), admin_atom_v,
                credentials{email, password, {}, {}})
      .receive([](bool) {}, [&](caf::error& err) { failed = std::move(err); });
  if (failed && is_error(failed, berry_errc::validation))
    throw std::runtime_error(failed.context().match_element<std::string>(0)
                                 ? failed.context().get_as<std::string>(0)
                                 : "the admin account is not valid");
  if (failed)
    throw std::runtime_error("the admin account could not be written: " +
                             sys.render(failed));
  // The password is never logged.
  log::info("admin account ready", {{"email", *normalize_email(email)}});
}

user_finder sqlite_user_finder(std::string db_path) {
  return [db_path = std::move(db_path)](const std::string& email) {
    return storage::find_user_by_email(storage::read_connection(db_path),
                                       email);
  };
}

} // namespace berry
