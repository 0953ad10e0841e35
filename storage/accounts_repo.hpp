#pragma once

// User accounts in SQLite: the users table of migration 2. The accounts
// actor writes through the journal as user_created (insert_user) and
// admin_put (upsert_admin), and reads with find_user_by_email on read-only
// connections.

#include <optional>
#include <string>

#include "protocols/commerce.hpp"
#include "protocols/journal_commands.hpp"
#include "storage/database.hpp"

namespace berry::storage {

/// The SQL run by the accounts repository.
namespace sql {

/// Args: id, email, name, role, password_hash, created_at (Unix ms). A plain
/// INSERT: a taken email fails the UNIQUE constraint.
inline constexpr const char* insert_user =
    "INSERT INTO users (id, email, name, role, password_hash, created_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6)";

/// Args: email.
inline constexpr const char* select_user_by_email =
    "SELECT id, email, name, role, password_hash, created_at, token_version"
    " FROM users WHERE email = ?1";

/// Args: id.
inline constexpr const char* select_user_by_id =
    "SELECT id, email, name, role, password_hash, created_at, token_version"
    " FROM users WHERE id = ?1";

/// Args: email, password_hash, created_at (Unix ms), token_version, id.
/// Creates the admin with id (a fresh "u-" + 16 hex one when empty), or
/// makes the existing account admin again with the new hash and token
/// version (its id, name and history stay).
inline constexpr const char* upsert_admin =
    "INSERT INTO users (id, email, name, role, password_hash, created_at,"
    " token_version)"
    " VALUES (COALESCE(NULLIF(?5, ''), 'u-' || lower(hex(randomblob(8)))),"
    " ?1, 'Administrator', 'admin', ?2, ?3, ?4)"
    " ON CONFLICT (email) DO UPDATE SET role = 'admin',"
    " password_hash = excluded.password_hash,"
    " token_version = excluded.token_version";

/// Args: token_id, user_id, expires_at (Unix s).
inline constexpr const char* insert_revoked_token =
    "INSERT INTO revoked_tokens (token_id, user_id, expires_at)"
    " VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING";

/// Revoked tokens past their expiry: refused by their signature's date.
inline constexpr const char* delete_expired_revocations =
    "DELETE FROM revoked_tokens"
    " WHERE expires_at <= CAST(strftime('%s', 'now') AS INTEGER)";

/// Every account's id and token version.
inline constexpr const char* select_token_versions =
    "SELECT id, token_version FROM users";

/// The accounts whose token version ever moved (a password change or an
/// admin reset): what another node may have missed, since a node that does
/// not know an account at all reads it when one of its tokens comes.
inline constexpr const char* select_moved_token_versions =
    "SELECT id, token_version FROM users WHERE token_version > 0";

/// Args: now (Unix s). Signed-out tokens not yet expired.
inline constexpr const char* select_revoked_tokens =
    "SELECT token_id, expires_at FROM revoked_tokens WHERE expires_at > ?1";

} // namespace sql

/// The statement that adds `user`; the journal answers berry_errc::conflict
/// when its email (or id) is taken.
db_statement insert_user(const user_account& user);

/// The statement that creates the admin account `email`, or makes the
/// account with that email admin again with `password_hash` (its id, name
/// and history stay).
db_statement upsert_admin(const std::string& email,
                          const std::string& password_hash,
                          int64_t created_at_ms, int64_t token_version = 0,
                          const std::string& id = {});

/// A registration (insert_user).
std::vector<db_statement> statements_for(const user_created& x);

/// The admin account put in place (upsert_admin).
std::vector<db_statement> statements_for(const admin_put& x);

/// A token signed out (insert_revoked_token), after the expired ones go.
std::vector<db_statement> statements_for(const token_revoked& x);

/// What the edge needs to refuse revoked tokens.
struct token_book {
  /// Every account's token version, by user id.
  std::vector<std::pair<std::string, int64_t>> versions;
  /// Signed-out tokens that have not expired: id and expiry (Unix s).
  std::vector<std::pair<std::string, int64_t>> revoked;
};

/// Reads the token book at `now` (Unix seconds).
token_book load_token_book(database& db, int64_t now);

/// Like load_token_book, with only the accounts whose token version moved
/// (select_moved_token_versions): what a cluster node rereads.
token_book load_token_changes(database& db, int64_t now);

/// The account with `email` (already normalized: trimmed, lower case).
std::optional<user_account> find_user_by_email(database& db,
                                               const std::string& email);

/// The account with id `id`.
std::optional<user_account> find_user_by_id(database& db,
                                            const std::string& id);

/// Creates the admin account `email`, or resets its password and role to
/// admin when it exists. Runs upsert_admin directly on `db`.
void ensure_admin(database& db, const std::string& email,
                  const std::string& password_hash);

} // namespace berry::storage
