// The accounts actor on the testing scheduler with a real journal over a
// temporary database. Its workers are a queue the test runs by hand, so
// every interleaving is chosen here, not by threads.

#include "actors/accounts.hpp"

#include <catch2/catch.hpp>

#include <deque>

#include "actors/accounts_tokens.hpp"
#include "storage/accounts_repo.hpp"
#include "storage/journal.hpp"
#include "warehouse_fixture.hpp"

using namespace berry;
using namespace berry::test;
using namespace std::chrono_literals;

namespace {

using answer = std::shared_ptr<reply<account_principal>>;

struct accounts_fixture : temp_db, actor_fixture {
  journal_actor journal;
  accounts_actor accounts;
  /// The workers' queue, and the most jobs it holds.
  std::deque<std::function<void()>> jobs;
  size_t capacity = 16;
  std::shared_ptr<token_registry> tokens = std::make_shared<token_registry>();
  std::shared_ptr<password_job_counters> dropped =
      std::make_shared<password_job_counters>();

  explicit accounts_fixture(std::chrono::milliseconds max_queue_wait = 10s) {
    journal = storage::spawn_journal(sys, {path, "full", 512, false});
    accounts_init init;
    init.journal = journal;
    init.find = sqlite_user_finder(path);
    init.tokens = tokens;
    init.max_queue_wait = max_queue_wait;
    init.dropped = dropped;
    init.run = [this](std::function<void()> job, client_gone_flag) {
      if (jobs.size() >= capacity)
        return false;
      jobs.push_back(std::move(job));
      return true;
    };
    accounts = spawn_accounts(sys, std::move(init));
  }

  ~accounts_fixture() {
    caf::anon_send_exit(accounts, caf::exit_reason::user_shutdown);
    caf::anon_send(journal, caf::close_atom_v);
  }

  /// Asks the accounts actor; the answer fills in as the test runs.
  template <class T = account_principal, class... Ts>
  std::shared_ptr<reply<T>> ask(Ts... xs) {
    auto r = std::make_shared<reply<T>>();
    sys.spawn([=](caf::event_based_actor* self) {
      self->request(accounts, caf::infinite, xs...)
          .then([=](T& x) { r->value = std::move(x); },
                [=](caf::error& e) { r->error = std::move(e); });
    });
    return r;
  }

  /// Runs messages and the workers' jobs until nothing is left to do.
  void settle() {
    for (sched.run(); !jobs.empty(); sched.run()) {
      auto job = std::move(jobs.front());
      jobs.pop_front();
      job();
    }
  }

  answer sign_up(const std::string& email, const std::string& password) {
    return ask(register_atom_v, registration{email, password, "Анна"});
  }

  answer log_in(const std::string& email, const std::string& password,
                const std::string& client = "10.0.0.1") {
    return ask(login_atom_v, credentials{email, password, client});
  }

  std::optional<user_account> stored(const std::string& email) {
    auto db = storage::database::open(path, storage::open_mode::read_only);
    return storage::find_user_by_email(db, email);
  }
};

/// The seconds to wait that a refusal names (0 when it names none).
int64_t wait_of(const caf::error& err) {
  auto& ctx = err.context();
  return ctx.match_elements<std::string, int64_t>() ? ctx.get_as<int64_t>(1)
                                                    : 0;
}

} // namespace

TEST_CASE_METHOD(accounts_fixture,
                 "a new customer is stored and logs in with its password") {
  auto reg = sign_up("anna@example.ru", "password-123");
  settle();
  REQUIRE(reg->value);
  CHECK(reg->value->role == "customer");
  CHECK(reg->value->user_id.rfind("u-", 0) == 0);
  auto row = stored("anna@example.ru");
  REQUIRE(row);
  CHECK(row->id == reg->value->user_id);
  CHECK(row->password_hash.rfind("$argon2id$", 0) == 0);

  auto login = log_in("anna@example.ru", "password-123");
  settle();
  REQUIRE(login->value);
  CHECK(login->value->user_id == reg->value->user_id);
  CHECK(login->value->role == "customer");
}

TEST_CASE_METHOD(accounts_fixture, "an email registers only once") {
  auto first = sign_up("anna@example.ru", "password-123");
  settle();
  REQUIRE(first->value);
  auto again = sign_up("anna@example.ru", "another-pass-1");
  settle();
  CHECK(again->code() == berry_errc::conflict);
  CHECK(again->detail() == "email already registered");
  // Two at once both pass the early check; the journal's UNIQUE decides.
  auto a = sign_up("boris@example.ru", "password-123");
  auto b = sign_up("boris@example.ru", "password-456");
  settle();
  CHECK((a->value ? 1 : 0) + (b->value ? 1 : 0) == 1);
  auto& lost = a->value ? b : a;
  CHECK(lost->code() == berry_errc::conflict);
  CHECK(lost->detail() == "email already registered");
}

TEST_CASE_METHOD(accounts_fixture,
                 "a wrong password and an unknown email are unauthorized") {
  sign_up("anna@example.ru", "password-123");
  settle();
  auto wrong = log_in("anna@example.ru", "password-124");
  auto nobody = log_in("nobody@example.ru", "password-123");
  auto huge = log_in("anna@example.ru", std::string(1025, 'x'));
  settle();
  for (auto& r : {wrong, nobody, huge}) {
    CHECK(r->code() == berry_errc::unauthorized);
    CHECK(r->detail() == "wrong email or password");
  }
}

TEST_CASE_METHOD(accounts_fixture,
                 "the sixth wrong password from one address waits") {
  sign_up("anna@example.ru", "password-123");
  settle();
  for (int i = 0; i < 5; ++i) {
    auto r = log_in("anna@example.ru", "wrong-guess");
    settle();
    CHECK(r->code() == berry_errc::unauthorized);
  }
  auto sixth = log_in("anna@example.ru", "wrong-guess");
  auto right = log_in("anna@example.ru", "password-123");
  settle();
  CHECK(sixth->code() == berry_errc::rate_limited);
  CHECK(wait_of(sixth->error) == 30);
  CHECK(right->code() == berry_errc::rate_limited);
  CHECK(jobs.empty()); // refused before any password was checked
  auto owner = log_in("anna@example.ru", "password-123", "10.0.0.2");
  settle();
  CHECK(owner->value); // the owner, elsewhere, never waits for a stranger
  sched.advance_time(30s);
  auto later = log_in("anna@example.ru", "password-123");
  settle();
  CHECK(later->value);
}

TEST_CASE_METHOD(accounts_fixture,
                 "guesses still being checked count against the limit") {
  sign_up("anna@example.ru", "password-123");
  settle();
  std::vector<answer> guesses;
  for (int i = 0; i < 6; ++i)
    guesses.push_back(log_in("anna@example.ru", "wrong-guess"));
  sched.run();
  CHECK(jobs.size() == 5);
  CHECK(guesses[5]->code() == berry_errc::rate_limited);
  CHECK(wait_of(guesses[5]->error) == 1);
  settle();
  for (int i = 0; i < 5; ++i)
    CHECK(guesses[i]->code() == berry_errc::unauthorized);
}

TEST_CASE_METHOD(accounts_fixture,
                 "a full worker queue is unavailable for a second") {
  capacity = 1;
  auto first = sign_up("anna@example.ru", "password-123");
  auto second = sign_up("boris@example.ru", "password-123");
  auto login = log_in("anna@example.ru", "password-123");
  sched.run();
  for (auto& r : {second, login}) {
    CHECK(r->code() == berry_errc::unavailable);
    CHECK(wait_of(r->error) == 1);
  }
  settle();
  CHECK(first->value);
  // The refused login counted neither way: the queue has room again.
  auto again = log_in("anna@example.ru", "password-123");
  settle();
  CHECK(again->value);
}

TEST_CASE_METHOD(accounts_fixture,
                 "the admin account is made, and made again with a new "
                 "password") {
  auto made = ask<bool>(admin_atom_v,
                        credentials{" Root@Berry.test ", "s3cret-admin-1"});
  settle();
  REQUIRE(made->value);
  auto login = log_in("root@berry.test", "s3cret-admin-1");
  settle();
  REQUIRE(login->value);
  CHECK(login->value->role == "admin");
  ask<bool>(admin_atom_v, credentials{"root@berry.test", "s3cret-admin-2"});
  settle();
  auto old = log_in("root@berry.test", "s3cret-admin-1");
  auto fresh = log_in("root@berry.test", "s3cret-admin-2");
  settle();
  CHECK(old->code() == berry_errc::unauthorized);
  REQUIRE(fresh->value);
  CHECK(fresh->value->user_id == login->value->user_id);
  auto bad = ask<bool>(admin_atom_v, credentials{"root", "s3cret-admin-3"});
  settle();
  CHECK(bad->code() == berry_errc::validation);
}

TEST_CASE_METHOD(accounts_fixture,
                 "an admin password that is not one is refused by name") {
  for (auto pw : {"short", "        ", ""}) {
    auto bad = ask<bool>(admin_atom_v, credentials{"root@berry.test", pw});
    settle();
    CHECK(bad->code() == berry_errc::validation);
    CHECK_THAT(bad->detail(), Catch::StartsWith("BERRY_ADMIN_PASSWORD"));
  }
  CHECK_FALSE(stored("root@berry.test"));
}

TEST_CASE_METHOD(accounts_fixture,
                 "a new admin password raises the token version; the same "
                 "one keeps it") {
  ask<bool>(admin_atom_v, credentials{"root@berry.test", "s3cret-admin-1"});
  settle();
  auto first = stored("root@berry.test");
  REQUIRE(first);
  CHECK(tokens->version_of(first->id) == 0);
  ask<bool>(admin_atom_v, credentials{"root@berry.test", "s3cret-admin-1"});
  settle();
  CHECK(stored("root@berry.test")->token_version == 0);
  ask<bool>(admin_atom_v, credentials{"root@berry.test", "s3cret-admin-2"});
  settle();
  CHECK(stored("root@berry.test")->token_version == 1);
  CHECK(tokens->version_of(first->id) == 1);
  auto login = log_in("root@berry.test", "s3cret-admin-2");
  settle();
  REQUIRE(login->value);
  CHECK(login->value->token_version == 1);
}

TEST_CASE_METHOD(accounts_fixture,
                 "a registration and a logout reach the token registry") {
  auto reg = sign_up("anna@example.ru", "password-123");
  settle();
  REQUIRE(reg->value);
  auto id = reg->value->user_id;
  CHECK(tokens->check(id, 0, "t-1") == token_verdict::good);
  auto out = ask<bool>(logout_atom_v, token_revoked{"t-1", id, 4102444800});
  settle();
  REQUIRE(out->value);
  CHECK(tokens->check(id, 0, "t-1") == token_verdict::signed_out);
  CHECK(tokens->check(id, 0, "t-2") == token_verdict::good);
  CHECK(tokens->check("u-nobody", 0, "t-3") == token_verdict::unknown_user);
  // Stored: a restart reads it back.
  auto db = storage::database::open(path, storage::open_mode::read_only);
  auto book = storage::load_token_book(db, 1700000000);
  CHECK(book.revoked.size() == 1);
}

TEST_CASE_METHOD(accounts_fixture,
                 "work whose client has gone is dropped before it is hashed") {
  auto gone = std::make_shared<std::atomic<bool>>(false);
  auto reg = ask(register_atom_v,
                 registration{"anna@example.ru", "password-123", "Анна", gone});
  auto login = ask(login_atom_v, credentials{"boris@example.ru", "wrong-guess",
                                             "10.0.0.1", gone});
  auto live = sign_up("vera@example.ru", "password-123");
  sched.run();
  REQUIRE(jobs.size() == 3);
  // Both clients hang up while their jobs wait for a thread.
  *gone = true;
  settle();
  CHECK(reg->code() == berry_errc::unavailable);
  CHECK(login->code() == berry_errc::unavailable);
  CHECK_FALSE(stored("anna@example.ru"));
  CHECK(dropped->client_gone == 2);
  CHECK(dropped->waited_too_long == 0);
  // The client still there is answered.
  CHECK(live->value);
  // The dropped guess counted neither way: five wrong ones are still let
  // through before the limit.
  for (int i = 0; i < 5; ++i) {
    auto guess = log_in("boris@example.ru", "wrong-guess");
    settle();
    CHECK(guess->code() == berry_errc::unauthorized);
  }
}

namespace {

struct impatient_fixture : accounts_fixture {
  impatient_fixture() : accounts_fixture(0ms) {}
};

} // namespace

TEST_CASE_METHOD(impatient_fixture,
                 "a login that waited too long for a worker is dropped "
                 "unchecked") {
  auto reg = sign_up("anna@example.ru", "password-123");
  auto login = log_in("anna@example.ru", "wrong-guess");
  settle();
  CHECK(reg->code() == berry_errc::unavailable);
  CHECK(login->code() == berry_errc::unavailable);
  CHECK_FALSE(stored("anna@example.ru"));
  CHECK(dropped->waited_too_long == 2);
}
