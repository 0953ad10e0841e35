#pragma once

// What the edge is built from. Later issues add actor handles here.

#include <string>

#include "config/config.hpp"

namespace berry::http {

class catalog_cache;
class metrics;

/// The parts of Berry the edge serves from. Pointers are borrowed: they
/// must outlive the server.
struct edge_context {
  const berry::server_config* cfg = nullptr;
  catalog_cache* catalog = nullptr;
  metrics* stats = nullptr;
  /// The SQLite database that catalog searches read (read-only).
  std::string db_path;
  /// The storefront's folder; empty or missing means no storefront.
  std::string web_root;
};

} // namespace berry::http
