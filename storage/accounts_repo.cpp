#include "storage/accounts_repo.hpp"

#include <chrono>

namespace berry::storage {

namespace {

std::optional<user_account> select_one(database& db, const char* query,
                                       const std::string& key) {
  auto stmt = db.prepare(query);
  stmt.bind(1, key);
  if (!stmt.step())
    return std::nullopt;
  user_account out;
  out.id = stmt.col_text(0);
  out.email = stmt.col_text(1);
  out.name = stmt.col_text(2);
  out.role = stmt.col_text(3);
  out.password_hash = stmt.col_text(4);
  out.created_at_ms = stmt.col_int(5);
  out.token_version = stmt.col_int(6);
  return out;
}

int64_t now_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch())
      .count();
}

} // namespace

db_statement insert_user(const user_account& user) {
  return {sql::insert_user,
          {db_value::of(user.id), db_value::of(user.email),
           db_value::of(user.name), db_value::of(user.role),
           db_value::of(user.password_hash), db_value::of(user.created_at_ms)}};
}

db_statement upsert_admin(const std::string& email,
                          const std::string& password_hash,
                          int64_t created_at_ms, int64_t token_version,
                          const std::string& id) {
  return {sql::upsert_admin,
          {db_value::of(email), db_value::of(password_hash),
           db_value::of(created_at_ms), db_value::of(token_version),
           db_value::of(id)}};
}

std::vector<db_statement> statements_for(const user_created& x) {
  return {insert_user(x.user)};
}

std::vector<db_statement> statements_for(const admin_put& x) {
  return {upsert_admin(x.admin.email, x.admin.password_hash,
                       x.admin.created_at_ms, x.admin.token_version,
                       x.admin.id)};
}

std::vector<db_statement> statements_for(const token_revoked& x) {
  return {{sql::delete_expired_revocations, {}},
          {sql::insert_revoked_token,
           {db_value::of(x.token_id), db_value::of(x.user_id),
            db_value::of(x.expires_at)}}};
}

namespace {

token_book read_token_book(database& db, const char* versions, int64_t now) {
  token_book out;
  auto users = db.prepare(versions);
  while (users.step())
    out.versions.emplace_back(users.col_text(0), users.col_int(1));
  auto revoked = db.prepare(sql::select_revoked_tokens);
  revoked.bind(1, now);
  while (revoked.step())
    out.revoked.emplace_back(revoked.col_text(0), revoked.col_int(1));
  return out;
}

} // namespace

token_book load_token_book(database& db, int64_t now) {
  return read_token_book(db, sql::select_token_versions, now);
}

token_book load_token_changes(database& db, int64_t now) {
  return read_token_book(db, sql::select_moved_token_versions, now);
}

std::optional<user_account> find_user_by_email(database& db,
                                               const std::string& email) {
  return select_one(db, sql::select_user_by_email, email);
}

std::optional<user_account> find_user_by_id(database& db,
                                            const std::string& id) {
  return select_one(db, sql::select_user_by_id, id);
}

void ensure_admin(database& db, const std::string& email,
                  const std::string& password_hash) {
  execute(db, upsert_admin(email, password_hash, now_ms()));
}

} // namespace berry::storage
