#pragma once

// What the tests of cluster nodes on one PostgreSQL share (issue 14): who
// owns a shard as a node sees it, and what PostgreSQL holds.

#include <chrono>
#include <string>
#include <utility>

#include "shop.hpp"
#include "support/postgres_server.hpp"

namespace berry::test {

/// Milliseconds since `t`.
inline int64_t ms_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now() - t)
      .count();
}

/// The owner and epoch of shard `id` as node `port` sees it ("" and 0 when
/// unowned).
inline std::pair<std::string, int64_t>
owner_of(uint16_t port, const std::string& token, const std::string& id) {
  auto res = get(port, "/api/v1/cluster", bearer(token));
  if (res.status != 200)
    return {"", 0};
  auto body = res.json();
  for (auto& s : body["shards"])
    if (s["id"] == id)
      return {s["owner"].get<std::string>(), s["epoch"].get<int64_t>()};
  return {"", 0};
}

/// The one value `sql` selects, as text.
inline std::string value_of(postgres_server& pg, const std::string& sql) {
  auto out = pg.psql(sql);
  while (!out.empty() && (out.back() == '\n' || out.back() == ' '))
    out.pop_back();
  return out;
}

/// True (with a warning) when PostgreSQL's server programs are missing.
inline bool pg_missing() {
  if (!postgres_bindir().empty())
    return false;
  WARN("PostgreSQL's server programs are not installed: skipped");
  return true;
}

} // namespace berry::test
