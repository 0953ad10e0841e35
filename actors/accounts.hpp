#pragma once

// Accounts: the one owner of registration, login checks, the failed-login
// limit and the admin account. The actor decides and journals; hashing and
// checking passwords (tens of milliseconds of CPU and 19 MiB each, on
// purpose) run on its own small worker pool, whose bounded queue turns a
// flood into quick 503s instead of a growing backlog.

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "actors/login_limiter.hpp"

#include "protocols/interfaces.hpp"

namespace caf {
class actor_system;
}

namespace berry {

class token_registry;

/// Finds an account by its normalized email; throws when storage fails.
/// Called on the worker threads, several at a time.
using user_finder =
    std::function<std::optional<user_account>(const std::string& email)>;

/// Runs a job on another thread; false when it cannot take one now. The
/// flag, when set, says the job's client has gone (the job then only
/// answers that): a full runner may drop such jobs to make room.
using job_runner = std::function<bool(std::function<void()>, client_gone_flag)>;

/// Password jobs dropped before they started, by why; read by /metrics.
struct password_job_counters {
  /// Their client closed its connection while they waited.
  std::atomic<uint64_t> client_gone{0};
  /// They waited longer than max_queue_wait.
  std::atomic<uint64_t> waited_too_long{0};
};

/// How the accounts actor starts.
struct accounts_init {
  /// Where new accounts and the admin account are written.
  journal_actor journal;
  /// Reads accounts (blocking; runs on the worker threads).
  user_finder find;
  /// Threads that hash and check passwords.
  size_t threads = 2;
  /// The most jobs that wait for a thread; past it, unavailable (503). A
  /// burst of a few hundred sign-ups still fits, and waiting jobs hold no
  /// argon2 memory.
  size_t queue_capacity = 256;
  /// Where jobs run. Empty: a worker_pool of `threads` and `queue_capacity`
  /// owned by the actor. Deterministic tests run the jobs by hand.
  job_runner run;
  /// A job that waited this long for a thread is dropped unanswered by a
  /// hash (unavailable): its client has given up, or is about to (the edge
  /// waits 15 s). A job whose client is known to have gone
  /// (client_gone_flag) is dropped as soon as a thread takes it.
  std::chrono::milliseconds max_queue_wait = std::chrono::seconds(10);
  /// Counts the dropped jobs; may be null.
  std::shared_ptr<password_job_counters> dropped;
  /// The failed-login limit per (client address, account).
  login_policy limits;
  /// Told of new accounts, token versions and logouts once they are
  /// stored; may be null.
  std::shared_ptr<token_registry> tokens;
  /// Told of each token version and signed-out token once stored and in
  /// the registry, to pass on to the other nodes of a cluster
  /// (actors/account_sync.hpp); may be empty.
  std::function<void(const std::string& user, int64_t version)> on_version;
  std::function<void(const std::string& token_id, int64_t expires_at)>
      on_revoked;
  /// How long the journal may take to acknowledge a write.
  std::chrono::seconds write_timeout = std::chrono::seconds(10);
};

/// Spawns the accounts actor.
accounts_actor spawn_accounts(caf::actor_system& sys, accounts_init init);

/// Creates (or resets) the admin account from the environment through
/// `accounts`, and waits until it is written. Throws, saying which variable
/// is wrong, when the email or the password is not one, or when the account
/// cannot be written. Blocks: call it at start only.
void make_admin(caf::actor_system& sys, const accounts_actor& accounts,
                const std::string& email, const std::string& password);

/// A finder over a read-only connection to `db_path` per calling thread.
user_finder sqlite_user_finder(std::string db_path);

} // namespace berry
