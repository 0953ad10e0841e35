#include "storage/read_connection.hpp"

#include <memory>

namespace berry::storage {

database& read_connection(const std::string& path) {
  thread_local std::unique_ptr<database> db;
  thread_local std::string db_path;
  if (!db || db_path != path) {
    db.reset();
    db = std::make_unique<database>(database::open(path, open_mode::read_only));
    db_path = path;
  }
  return *db;
}

void probe_database(const std::string& path) {
  read_connection(path).exec("SELECT 1");
}

} // namespace berry::storage
