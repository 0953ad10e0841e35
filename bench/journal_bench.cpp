// journal_bench [WRITERS] [WRITES_PER_WRITER] [synchronous]: how many
// acknowledged writes per second the journal sustains, and how many commits
// they cost. Each writer keeps one write in flight, like an actor that waits
// for its acknowledgement before it answers its own caller.

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include <caf/all.hpp>

#include "actors/system_config.hpp"
#include "protocols/interfaces.hpp"
#include "storage/journal.hpp"
#include "storage/store.hpp"

namespace {

void write_loop(caf::event_based_actor* self, berry::journal_actor journal,
                int64_t next, int64_t step, int left) {
  if (left == 0)
    return;
  berry::journal_batch batch{{berry::probe_written{std::to_string(next)}}};
  self->request(journal, caf::infinite, berry::write_atom_v, std::move(batch))
      .then([=](uint64_t) {
        write_loop(self, journal, next + step, step, left - 1);
      });
}

} // namespace

int main(int argc, char** argv) {
  int writers = argc > 1 ? std::atoi(argv[1]) : 200;
  int per_writer = argc > 2 ? std::atoi(argv[2]) : 50;
  std::string sync = argc > 3 ? argv[3] : "full";
  auto dir = std::filesystem::temp_directory_path() / "berry-journal-bench";
  std::filesystem::remove_all(dir);
  auto paths = berry::storage::prepare_store(dir.string());
  auto counters = std::make_shared<berry::storage::journal_counters>();
  auto start = std::chrono::steady_clock::now();
  {
    caf::actor_system_config cfg;
    berry::configure_actor_system(cfg);
    caf::actor_system sys{cfg};
    auto journal =
        berry::storage::spawn_journal(sys, {paths.db, sync, 512}, counters);
    for (int w = 0; w < writers; ++w)
      sys.spawn([=](caf::event_based_actor* self) {
        write_loop(self, journal, w + 1, writers, per_writer);
      });
    // Wait for the writers, then stop the journal.
    sys.await_actors_before_shutdown(false);
    while (counters->batches.load() < uint64_t(writers) * per_writer)
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    caf::anon_send(journal, caf::close_atom_v);
  }
  double secs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  auto writes = counters->batches.load();
  auto commits = counters->commits.load();
  std::printf("writers=%d writes=%llu synchronous=%s time=%.2fs "
              "writes/s=%.0f commits=%llu writes/commit=%.1f\n",
              writers, static_cast<unsigned long long>(writes), sync.c_str(),
              secs, writes / secs, static_cast<unsigned long long>(commits),
              commits ? double(writes) / commits : 0.0);
  std::filesystem::remove_all(dir);
}
