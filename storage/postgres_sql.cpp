#include "storage/postgres_sql.hpp"

#include <cctype>
#include <cstring>
#include <utility>

#include "storage/accounts_repo.hpp"
#include "storage/order_repo.hpp"

namespace berry::storage {

namespace {

/// Statements whose SQLite text uses a function PostgreSQL lacks.
const char* postgres_form(const std::string& sql) {
  if (sql == sql::upsert_admin)
    return "INSERT INTO users (id, email, name, role, password_hash, "
           "created_at, token_version)"
           " VALUES (COALESCE(NULLIF($5::text, ''), 'u-' ||"
           " substr(md5(random()::text || clock_timestamp()::text), 1, 16)),"
           " $1, 'Administrator', 'admin', $2, $3, $4)"
           " ON CONFLICT (email) DO UPDATE SET role = 'admin',"
           " password_hash = excluded.password_hash,"
           " token_version = excluded.token_version";
  if (sql == sql::insert_order)
    return sql::insert_order_postgres;
  if (sql == sql::delete_expired_revocations)
    return "DELETE FROM revoked_tokens"
           " WHERE expires_at <= extract(epoch FROM now())::bigint";
  return nullptr;
}

} // namespace

std::string to_postgres(const std::string& text) {
  if (const char* own = postgres_form(text))
    return own;
  // SQLite's CROSS JOIN ... ON is an inner join whose loop order the planner
  // keeps; PostgreSQL plans an INNER JOIN itself.
  std::string sql = text;
  // SQLite's functions with a PostgreSQL twin of another name.
  for (auto [from, to] :
       {std::pair{" CROSS JOIN ", " INNER JOIN "},
        std::pair{"group_concat(", "string_agg("}, std::pair{"char(", "chr("}})
    for (auto at = sql.find(from); at != std::string::npos;
         at = sql.find(from, at + std::strlen(to)))
      sql.replace(at, std::strlen(from), to);
  std::string out;
  out.reserve(sql.size());
  char quote = 0; // inside '...' or "..."
  for (std::size_t i = 0; i < sql.size(); ++i) {
    char c = sql[i];
    if (quote) {
      if (c == quote)
        quote = 0;
      out += c;
      continue;
    }
    if (c == '\'' || c == '"') {
      quote = c;
      out += c;
      continue;
    }
    if (c == '?' && i + 1 < sql.size() &&
        std::isdigit(static_cast<unsigned char>(sql[i + 1]))) {
      out += '$';
      continue;
    }
    out += c;
  }
  return out;
}

} // namespace berry::storage
