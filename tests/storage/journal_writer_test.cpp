#include "storage/journal_writer.hpp"

#include <filesystem>

#include <unistd.h>

#include <catch2/catch.hpp>

#include "storage/catalog_repo.hpp"
#include "storage/migrations.hpp"

using namespace berry;
using namespace berry::storage;

namespace {

journal_command probe(const std::string& payload) {
  return probe_written{payload};
}

// Adds `on_hand` and `reserved` to p1's stock in w1.
journal_command add_p1(int64_t on_hand, int64_t reserved) {
  return stock_changed{{"w1", "p1", on_hand, reserved}};
}

journal_writer writer_with_stock() {
  auto db = database::open(":memory:");
  migrate(db);
  execute(db, upsert_category({"c", "Одежда", "", 0}));
  execute(db, upsert_product({"p1", "Платье", "", "c", 100, 1}));
  execute(db, upsert_warehouse({"w1", "Подольск", {55.43, 37.54}}));
  execute(db, put_stock({"w1", "p1", 5, 0}));
  return journal_writer{std::move(db)};
}

std::vector<std::string> payloads(database& db) {
  std::vector<std::string> out;
  auto stmt = db.prepare("SELECT payload FROM journal_probe ORDER BY id");
  while (stmt.step())
    out.push_back(stmt.col_text(0));
  return out;
}

} // namespace

TEST_CASE("a refused batch is undone alone while its group commits") {
  auto w = writer_with_stock();
  journal_batch good1{{probe("a")}};
  // Its first command succeeds, its second breaks a CHECK: both go.
  journal_batch bad{{probe("b"), add_p1(0, 6)}};
  journal_batch good2{{probe("c"), add_p1(0, 2)}};
  auto r = w.commit({&good1, &bad, &good2});
  CHECK(r.committed);
  CHECK(r.seq == 1);
  CHECK(r.commands == 3);
  REQUIRE(r.batches.size() == 3);
  CHECK(r.batches[0].status == batch_status::committed);
  CHECK(r.batches[1].status == batch_status::conflict);
  CHECK(r.batches[1].message.find("CHECK") != std::string::npos);
  CHECK(r.batches[2].status == batch_status::committed);
  CHECK(payloads(w.db()) == std::vector<std::string>{"a", "c"});
  CHECK(load_stock(w.db(), "w1").at(0).reserved == 2);
}

TEST_CASE("a batch failing on anything but a constraint is a storage "
          "failure, not a conflict") {
  auto w = writer_with_stock();
  // A table gone from under the journal: its SQL no longer prepares.
  w.db().exec("DROP TABLE cart_lines");
  journal_batch bad{{cart_line_set{"u-1", "p1", 1}}};
  journal_batch half{{probe("undone"), cart_cleared{"u-1"}}};
  journal_batch good{{probe("ok")}};
  auto r = w.commit({&bad, &half, &good});
  CHECK(r.committed);
  CHECK(r.batches[0].status == batch_status::failed);
  CHECK(r.batches[1].status == batch_status::failed);
  CHECK(r.batches[2].status == batch_status::committed);
  CHECK(payloads(w.db()) == std::vector<std::string>{"ok"});
}

TEST_CASE("a group where every batch fails commits nothing") {
  auto w = writer_with_stock();
  journal_batch bad{{add_p1(-6, 0)}};
  auto r = w.commit({&bad});
  CHECK_FALSE(r.committed);
  CHECK(r.commands == 0);
  CHECK(w.last_seq() == 0);
  CHECK(r.batches.at(0).status == batch_status::conflict);
  CHECK_FALSE(w.db().in_transaction());
  journal_batch good{{probe("x")}};
  CHECK(w.commit({&good}).seq == 1);
}

TEST_CASE("each commit gets the next sequence number") {
  auto w = writer_with_stock();
  journal_batch a{{probe("a")}};
  journal_batch empty;
  CHECK(w.commit({&a}).seq == 1);
  CHECK(w.commit({&empty}).seq == 2);
  CHECK(w.last_seq() == 2);
}

TEST_CASE("when the write lock cannot be had, every batch fails") {
  auto dir = std::filesystem::temp_directory_path();
  auto path =
      (dir / ("berry-writer-" + std::to_string(::getpid()) + ".db")).string();
  {
    auto setup = database::open(path);
    migrate(setup);
  }
  {
    auto db = database::open(path);
    db.exec("PRAGMA busy_timeout=0");
    journal_writer w{std::move(db)};
    auto other = database::open(path);
    transaction holder{other};
    journal_batch a{{probe("a")}};
    auto r = w.commit({&a});
    CHECK_FALSE(r.committed);
    CHECK(r.batches.at(0).status == batch_status::failed);
  }
  for (auto suffix : {"", "-wal", "-shm"})
    std::filesystem::remove(path + suffix);
}
