#include "support/test_store.hpp"

#include <cstdlib>
#include <memory>
#include <mutex>
#include <string>

#include "storage/migrations.hpp"
#include "support/postgres_server.hpp"

namespace berry::test {

bool on_postgres_store() {
  const char* store = std::getenv("BERRY_TEST_STORE");
  return store && std::string{store} == "postgres";
}

std::string fresh_store_location() {
  if (!on_postgres_store())
    return {};
  // One server for the test program; the schema is migrated once into a
  // template, and each test gets a copy (much faster than migrating).
  static std::unique_ptr<postgres_server> server;
  static std::mutex mutex;
  static int databases = 0;
  std::lock_guard<std::mutex> lock{mutex};
  if (!server) {
    server = std::make_unique<postgres_server>();
    server->psql("CREATE DATABASE berry_template");
    auto db = storage::database::open(server->conninfo("berry_template"));
    storage::migrate(db);
  }
  auto name = "t" + std::to_string(++databases);
  server->psql("CREATE DATABASE " + name + " TEMPLATE berry_template");
  return server->conninfo(name);
}

storage::database fresh_database() {
  auto location = fresh_store_location();
  auto db = storage::database::open(location.empty() ? ":memory:" : location);
  if (location.empty())
    storage::migrate(db);
  return db;
}

} // namespace berry::test
