#include "storage/journal.hpp"

#include <filesystem>
#include <memory>
#include <optional>
#include <random>
#include <string>

#include <caf/all.hpp>
#include <catch2/catch.hpp>

#include "protocols/errors.hpp"
#include "storage/catalog_repo.hpp"
#include "storage/store.hpp"

using namespace berry;
using namespace berry::storage;
using namespace std::chrono_literals;

namespace {

journal_batch probe_batch(const std::string& payload) {
  return {{probe_written{payload}}};
}

caf::actor_system_config& init(caf::actor_system_config& cfg) {
  cfg.add_message_types<caf::id_block::berry>();
  cfg.add_error_category(caf::atom("berry"), [](uint8_t code, caf::atom_value,
                                                const caf::message& ctx) {
    return render_berry_error(code, ctx);
  });
  cfg.set("logger.file-verbosity", caf::atom("quiet"));
  return cfg;
}

// A fresh data directory with a migrated berry.db and one stocked product.
struct journal_fixture {
  std::filesystem::path dir;
  store_paths paths;
  caf::actor_system_config cfg;
  caf::actor_system sys{init(cfg)};
  std::shared_ptr<journal_counters> counters =
      std::make_shared<journal_counters>();
  journal_actor journal;

  journal_fixture() {
    std::random_device rd;
    dir = std::filesystem::temp_directory_path() /
          ("berry-journal-" + std::to_string(rd()) + std::to_string(rd()));
    paths = prepare_store(dir.string());
    auto db = database::open(paths.db);
    marketplace data;
    data.categories = {{"c", "Одежда", "", 0}};
    data.products = {{"p1", "Платье", "Летнее", "c", 100, 1}};
    data.warehouses = {{"w1", "Подольск", {55.43, 37.54}}};
    data.stock = {{"w1", "p1", 5, 0}};
    seed_if_empty(db, data);
    journal = spawn_journal(sys, {paths.db, "full", 512}, counters);
  }

  ~journal_fixture() {
    caf::anon_send_exit(journal, caf::exit_reason::user_shutdown);
    journal = nullptr;
    sys.await_all_actors_done();
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }

  // What another process reading the file would see.
  int64_t probe_rows(const std::string& payload_like = "%") {
    auto db = database::open(paths.db, open_mode::read_only);
    auto stmt =
        db.prepare("SELECT count(*) FROM journal_probe WHERE payload LIKE ?1");
    stmt.bind(1, payload_like);
    stmt.step();
    return stmt.col_int(0);
  }
};

} // namespace

TEST_CASE_METHOD(journal_fixture,
                 "a batch is on disk once the journal acknowledges it") {
  caf::scoped_actor self{sys};
  uint64_t seq = 0;
  self->request(journal, caf::infinite, write_atom_v, probe_batch("durable"))
      .receive([&](uint64_t x) { seq = x; },
               [&](caf::error& e) { FAIL(sys.render(e)); });
  CHECK(seq >= 1);
  CHECK(probe_rows("durable") == 1);
}

TEST_CASE_METHOD(
    journal_fixture,
    "a batch breaking a CHECK is refused while the others commit") {
  caf::scoped_actor self{sys};
  // Holding the write lock keeps the journal's first commit waiting, so
  // the batches queue up behind it and meet in the next group.
  auto holder = database::open(paths.db);
  std::optional<transaction> lock{std::in_place, holder};
  auto first =
      self->request(journal, caf::infinite, write_atom_v, probe_batch("first"));
  // Its probe would go in; its stock change breaks a CHECK (6 > 5 on hand).
  journal_batch bad{
      {probe_written{"undone"}, stock_changed{{"w1", "p1", 0, 6}}}};
  auto refused = self->request(journal, caf::infinite, write_atom_v, bad);
  auto good =
      self->request(journal, caf::infinite, write_atom_v, probe_batch("kept"));
  lock.reset();
  int acks = 0;
  first.receive([&](uint64_t) { ++acks; },
                [&](caf::error& e) { FAIL(sys.render(e)); });
  refused.receive([&](uint64_t) { FAIL("the bad batch was stored"); },
                  [&](caf::error& e) {
                    INFO(sys.render(e));
                    CHECK(is_error(e, berry_errc::conflict));
                  });
  good.receive([&](uint64_t) { ++acks; },
               [&](caf::error& e) { FAIL(sys.render(e)); });
  CHECK(acks == 2);
  CHECK(probe_rows("kept") == 1);
  CHECK(probe_rows("undone") == 0);
  CHECK(counters->failures == 1);
}

TEST_CASE_METHOD(journal_fixture,
                 "a batch whose SQL fails fails and the journal keeps going") {
  caf::scoped_actor self{sys};
  // A table dropped under the journal: its statement no longer prepares.
  database::open(paths.db).exec("DROP TABLE cart_lines");
  journal_batch bad{{cart_cleared{"u-1"}}};
  self->request(journal, caf::infinite, write_atom_v, bad)
      .receive([&](uint64_t) { FAIL("bad SQL was acknowledged"); },
               [&](caf::error& e) {
                 CHECK(is_error(e, berry_errc::storage_failure));
               });
  self->request(journal, caf::infinite, write_atom_v, probe_batch("after"))
      .receive([&](uint64_t) {}, [&](caf::error& e) { FAIL(sys.render(e)); });
  CHECK(probe_rows("after") == 1);
}

TEST_CASE_METHOD(journal_fixture,
                 "a thousand concurrent writes share far fewer commits") {
  constexpr int n = 1000;
  caf::scoped_actor self{sys};
  auto report = caf::actor_cast<caf::actor>(self);
  auto j = journal;
  // One event-based actor sends every request before any answer arrives.
  sys.spawn([=](caf::event_based_actor* writer) {
    auto ok = std::make_shared<int>(0);
    auto failed = std::make_shared<int>(0);
    auto done = [=] {
      if (*ok + *failed == n)
        writer->send(report, *ok, *failed);
    };
    for (int i = 0; i < n; ++i)
      writer
          ->request(j, caf::infinite, write_atom_v,
                    probe_batch("w" + std::to_string(i)))
          .then([=](uint64_t) { ++*ok, done(); },
                [=](caf::error&) { ++*failed, done(); });
  });
  int ok = 0;
  int failed = -1;
  self->receive([&](int x, int y) { ok = x, failed = y; },
                caf::after(60s) >> [&] { FAIL("no answer within 60 s"); });
  CHECK(ok == n);
  CHECK(failed == 0);
  auto commits = counters->commits.load();
  WARN("1000 concurrent writes took " << commits << " commits");
  CHECK(commits <= 200);
  CHECK(counters->batches >= static_cast<uint64_t>(n));
  CHECK(probe_rows("w%") == n);
}

TEST_CASE_METHOD(journal_fixture, "the journal reports what it did") {
  caf::scoped_actor self{sys};
  self->request(journal, caf::infinite, write_atom_v, probe_batch("a"))
      .receive([](uint64_t) {}, [&](caf::error& e) { FAIL(sys.render(e)); });
  self->request(journal, caf::infinite, stats_atom_v)
      .receive(
          [&](const journal_stats& s) {
            CHECK(s.batches == 1);
            CHECK(s.commands == 1);
            CHECK(s.commits == 1);
            CHECK(s.failures == 0);
          },
          [&](caf::error& e) { FAIL(sys.render(e)); });
}

TEST_CASE_METHOD(journal_fixture,
                 "writes queued before a shutdown are committed and answered") {
  caf::scoped_actor self{sys};
  auto pending = self->request(journal, 10s, write_atom_v, probe_batch("last"));
  caf::anon_send(journal, caf::close_atom_v);
  pending.receive([&](uint64_t seq) { CHECK(seq >= 1); },
                  [&](caf::error& e) { FAIL(sys.render(e)); });
  CHECK(probe_rows("last") == 1);
}

TEST_CASE("the journal refuses to start on a database it cannot open") {
  caf::actor_system_config cfg;
  caf::actor_system sys{init(cfg)};
  journal_options opts;
  opts.path = "/nonexistent-dir/berry.db";
  CHECK_THROWS_AS(spawn_journal(sys, opts), db_error);
  opts.path = ":memory:";
  opts.synchronous = "sometimes";
  CHECK_THROWS_AS(spawn_journal(sys, opts), db_error);
}
