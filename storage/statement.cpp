// The statement and statement_cache parts of storage/database.hpp.

#include "storage/database.hpp"

#include <utility>

#include <sqlite3.h>

namespace berry::storage {

statement::statement(statement&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)),
      stmt_(std::exchange(other.stmt_, nullptr)) {}

statement& statement::operator=(statement&& other) noexcept {
  if (this != &other) {
    sqlite3_finalize(stmt_);
    db_ = std::exchange(other.db_, nullptr);
    stmt_ = std::exchange(other.stmt_, nullptr);
  }
  return *this;
}

statement::~statement() {
  sqlite3_finalize(stmt_);
}

void statement::fail(int rc) const {
  int code = db_ ? sqlite3_extended_errcode(db_) : rc;
  std::string msg = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
  throw db_error(code, msg);
}

void statement::check_bind(int rc) const {
  if (rc != SQLITE_OK)
    fail(rc);
}

statement& statement::bind(int index, const db_value& x) {
  switch (x.kind) {
  case db_value::int_v:
    return bind(index, x.i);
  case db_value::real_v:
    return bind(index, x.r);
  case db_value::text_v:
    return bind(index, x.s);
  case db_value::null_v:
    return bind_null(index);
  default:
    throw db_error(SQLITE_MISMATCH, "unknown db_value kind");
  }
}

statement& statement::bind(int index, int64_t x) {
  check_bind(sqlite3_bind_int64(stmt_, index, x));
  return *this;
}

statement& statement::bind(int index, double x) {
  check_bind(sqlite3_bind_double(stmt_, index, x));
  return *this;
}

statement& statement::bind(int index, std::string_view x) {
  // SQLITE_TRANSIENT: SQLite copies, so the caller's buffer may go away.
  check_bind(sqlite3_bind_text64(stmt_, index, x.data(), x.size(),
                                 SQLITE_TRANSIENT, SQLITE_UTF8));
  return *this;
}

statement& statement::bind(int index, const std::string& x) {
  return bind(index, std::string_view{x});
}

statement& statement::bind(int index, const char* x) {
  return x ? bind(index, std::string_view{x}) : bind_null(index);
}

statement& statement::bind(int index, std::nullptr_t) {
  return bind_null(index);
}

statement& statement::bind_null(int index) {
  check_bind(sqlite3_bind_null(stmt_, index));
  return *this;
}

statement& statement::bind_all(const std::vector<db_value>& args) {
  int expected = sqlite3_bind_parameter_count(stmt_);
  if (static_cast<int>(args.size()) != expected)
    throw db_error(SQLITE_RANGE, "statement takes " + std::to_string(expected) +
                                     " arguments, got " +
                                     std::to_string(args.size()));
  for (size_t i = 0; i < args.size(); ++i)
    bind(static_cast<int>(i + 1), args[i]);
  return *this;
}

bool statement::step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW)
    return true;
  if (rc == SQLITE_DONE)
    return false;
  fail(rc);
}

void statement::run() {
  while (step()) {
    // A write with RETURNING yields rows; nobody asked for them here.
  }
}

int64_t statement::col_int(int column) const {
  return sqlite3_column_int64(stmt_, column);
}

double statement::col_real(int column) const {
  return sqlite3_column_double(stmt_, column);
}

std::string statement::col_text(int column) const {
  auto text = sqlite3_column_text(stmt_, column);
  if (text == nullptr)
    return {};
  auto size = static_cast<size_t>(sqlite3_column_bytes(stmt_, column));
  return std::string{reinterpret_cast<const char*>(text), size};
}

void statement::unknown_text(int column) const {
  throw db_error(SQLITE_MISMATCH, "column " + std::to_string(column) +
                                      " holds unknown text '" +
                                      col_text(column) + "'");
}

bool statement::col_null(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

void statement::reset() {
  // sqlite3_reset repeats the last step's error; step() already threw it.
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

std::string statement::sql() const {
  auto text = sqlite3_sql(stmt_);
  return text ? text : "";
}

statement& statement_cache::get(const std::string& sql) {
  auto i = map_.find(sql);
  if (i == map_.end())
    i = map_.emplace(sql, db_->prepare(sql)).first;
  else
    i->second.reset();
  return i->second;
}

void statement_cache::execute(const db_statement& x) {
  auto& stmt = get(x.sql);
  try {
    stmt.bind_all(x.args);
    stmt.run();
  } catch (...) {
    stmt.reset();
    throw;
  }
  // Reset now so the statement holds no read lock between uses.
  stmt.reset();
}

} // namespace berry::storage
