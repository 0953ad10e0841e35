#include "http/read_connection.hpp"

#include <memory>

namespace berry::http {

storage::database& read_connection(const std::string& path) {
  thread_local std::unique_ptr<storage::database> db;
  thread_local std::string db_path;
  if (!db || db_path != path) {
    db.reset();
    db = std::make_unique<storage::database>(
        storage::database::open(path, storage::open_mode::read_only));
    db_path = path;
  }
  return *db;
}

} // namespace berry::http
