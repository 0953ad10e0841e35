#pragma once

// What the provider and payment tests share: a real temp-file database with
// its journal on the testing scheduler, requests whose answers land in a
// `reply`, and the provider's books as stored.

#include <filesystem>
#include <memory>
#include <random>

#include "fixture.hpp"
#include "storage/database.hpp"
#include "storage/journal.hpp"
#include "storage/payment_repo.hpp"
#include "storage/store.hpp"

namespace berry::test {

/// What a requester heard back.
struct reply {
  bool done = false;
  payment_result value;
  caf::error err;
};

/// A journal over a fresh database; actors put into `actors` are stopped
/// with it.
struct payment_books_fixture : actor_fixture {
  std::filesystem::path dir;
  std::string db_path;
  journal_actor journal;
  std::vector<caf::strong_actor_ptr> actors;

  payment_books_fixture() {
    std::random_device rd;
    dir = std::filesystem::temp_directory_path()
          / ("berry-payment-" + std::to_string(rd()) + std::to_string(rd()));
    db_path = storage::prepare_store(dir.string()).db;
    journal = storage::spawn_journal(sys, {db_path, "full", 512, false});
  }

  ~payment_books_fixture() {
    for (auto& a : actors)
      caf::anon_send_exit(a, caf::exit_reason::user_shutdown);
    caf::anon_send_exit(journal, caf::exit_reason::user_shutdown);
    drain();
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }

  /// Keeps `x` to stop it at the end; returns it.
  template <class Handle>
  Handle keep(Handle x) {
    actors.push_back(caf::actor_cast<caf::strong_actor_ptr>(x));
    return x;
  }

  /// Asks `p` with `xs...`; the answer lands in the returned reply.
  template <class Handle, class... Ts>
  std::shared_ptr<reply> ask(Handle p, Ts... xs) {
    auto out = std::make_shared<reply>();
    keep(sys.spawn([=](caf::event_based_actor* self) {
      self->request(p, caf::infinite, xs...)
        .then([=](const payment_result& r) { out->done = true, out->value = r; },
              [=](caf::error& e) { out->done = true, out->err = e; });
    }));
    return out;
  }

  /// The provider's books as stored.
  std::vector<storage::provider_payment> rows() {
    auto db = storage::database::open(db_path, storage::open_mode::read_only);
    return storage::load_provider_payments(db);
  }
};

} // namespace berry::test
