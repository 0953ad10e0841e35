// An acknowledged write survives kill -9 of the process that made it.

#include <csignal>
#include <set>

#include <catch2/catch.hpp>

#include "process.hpp"
#include "storage/database.hpp"

using berry::test::child_process;
using berry::test::temp_dir;

TEST_CASE("every write the journal acknowledged survives kill -9") {
  temp_dir dir;
  std::set<int64_t> acked;
  {
    child_process probe{{BERRY_JOURNAL_PROBE, dir.path}};
    while (acked.size() < 2000) {
      auto line = probe.read_line();
      REQUIRE(line.rfind("acked ", 0) == 0);
      acked.insert(std::stoll(line.substr(6)));
    }
    // Killed in the middle of its stream of writes, with more in flight.
    probe.signal(SIGKILL);
    CHECK(probe.wait() == 128 + SIGKILL);
    // Lines already written to the pipe were acknowledged too.
    for (auto line = probe.read_line(); !line.empty(); line = probe.read_line())
      acked.insert(std::stoll(line.substr(6)));
  }
  auto db = berry::storage::database::open(dir.path + "/berry.db");
  auto st = db.prepare("SELECT payload FROM journal_probe");
  std::set<int64_t> stored;
  while (st.step())
    stored.insert(std::stoll(st.col_text(0)));
  std::vector<int64_t> lost;
  for (auto id : acked)
    if (stored.count(id) == 0)
      lost.push_back(id);
  INFO("acknowledged " << acked.size() << ", stored " << stored.size());
  CHECK(lost.empty());
  CHECK(stored.size() >= acked.size());
}
