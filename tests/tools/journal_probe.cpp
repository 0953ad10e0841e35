// berry_journal_probe DATA_DIR: writes rows through the real journal without
// end, keeping 32 writes in flight, and prints "acked N" for each write once
// the journal has acknowledged it. The crash test kills it with SIGKILL and
// checks that every acknowledged row is in the database.

#include <cstdio>
#include <string>

#include <caf/all.hpp>

#include "actors/system_config.hpp"
#include "protocols/interfaces.hpp"
#include "storage/journal.hpp"
#include "storage/store.hpp"

namespace {

constexpr int in_flight = 32;

/// The row's payload is its number, which the crash test looks for.
berry::journal_batch probe_row(int64_t id) {
  return {{berry::probe_written{std::to_string(id)}}};
}

void write_next(caf::event_based_actor* self, berry::journal_actor journal,
                int64_t id) {
  self->request(journal, std::chrono::seconds(30), berry::write_atom_v,
                probe_row(id))
      .then(
          [=](uint64_t) {
            std::printf("acked %lld\n", static_cast<long long>(id));
            std::fflush(stdout);
            write_next(self, journal, id + in_flight);
          },
          [=](caf::error& err) {
            std::fprintf(stderr, "write %lld failed: %s\n",
                         static_cast<long long>(id),
                         self->system().render(err).c_str());
            self->quit(err);
          });
}

} // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: berry_journal_probe DATA_DIR\n");
    return 2;
  }
  auto paths = berry::storage::prepare_store(argv[1]);
  caf::actor_system_config cfg;
  berry::configure_actor_system(cfg);
  caf::actor_system sys{cfg};
  auto journal = berry::storage::spawn_journal(sys, {paths.db, "full", 512});
  sys.spawn([journal](caf::event_based_actor* self) {
    for (int64_t i = 1; i <= in_flight; ++i)
      write_next(self, journal, i);
  });
  // Runs until killed.
}
