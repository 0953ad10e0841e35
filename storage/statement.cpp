// The statement and statement_cache parts of storage/database.hpp.

#include "storage/database.hpp"

#include <utility>

#include <sqlite3.h>

#include "storage/postgres.hpp"

namespace berry::storage {

// A statement on PostgreSQL: its SQL and bound values until the first
// step(), which runs it and keeps every row of the answer.
struct statement::pg_part {
  pg_connection* conn = nullptr;
  std::string sql;
  std::vector<db_value> args;
  pg_rows rows;
  int row = -1;
  bool ran = false;

  void bind(int index, db_value x) {
    if (index < 1)
      throw db_error(SQLITE_RANGE, "parameter index " + std::to_string(index));
    if (args.size() < static_cast<std::size_t>(index))
      args.resize(static_cast<std::size_t>(index));
    args[static_cast<std::size_t>(index - 1)] = std::move(x);
  }
};

void statement::pg_part_delete::operator()(pg_part* p) const noexcept {
  delete p;
}

statement::statement() = default;

statement::statement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}

statement::statement(pg_connection* pg, std::string sql) : pg_(new pg_part) {
  pg_->conn = pg;
  pg_->sql = std::move(sql);
}

statement::statement(statement&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)),
      stmt_(std::exchange(other.stmt_, nullptr)), pg_(std::move(other.pg_)) {}

statement& statement::operator=(statement&& other) noexcept {
  if (this != &other) {
    sqlite3_finalize(stmt_);
    db_ = std::exchange(other.db_, nullptr);
    stmt_ = std::exchange(other.stmt_, nullptr);
    pg_ = std::move(other.pg_);
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
  if (pg_) {
    pg_->bind(index, x);
    return *this;
  }
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
  if (pg_)
    return bind(index, db_value::of(x));
  check_bind(sqlite3_bind_int64(stmt_, index, x));
  return *this;
}

statement& statement::bind(int index, double x) {
  if (pg_)
    return bind(index, db_value::of(x));
  check_bind(sqlite3_bind_double(stmt_, index, x));
  return *this;
}

statement& statement::bind(int index, std::string_view x) {
  if (pg_)
    return bind(index, db_value::of(std::string{x}));
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
  if (pg_)
    return bind(index, db_value::null());
  check_bind(sqlite3_bind_null(stmt_, index));
  return *this;
}

statement& statement::bind_all(const std::vector<db_value>& args) {
  if (pg_) {
    pg_->args = args;
    return *this;
  }
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
  if (pg_) {
    if (!pg_->ran) {
      try {
        pg_->rows = pg_->conn->query({pg_->sql, pg_->args});
      } catch (const pg_error& e) {
        throw_as_db_error(e);
      }
      pg_->ran = true;
      pg_->row = -1;
    }
    return ++pg_->row < pg_->rows.size();
  }
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW)
    return true;
  if (rc == SQLITE_DONE)
    return false;
  fail(rc);
}

void statement::run() {
  if (pg_) {
    try {
      pg_->conn->run({pg_->sql, pg_->args});
    } catch (const pg_error& e) {
      throw_as_db_error(e);
    }
    pg_->ran = true;
    return;
  }
  while (step()) {
    // A write with RETURNING yields rows; nobody asked for them here.
  }
}

int64_t statement::col_int(int column) const {
  if (pg_)
    return pg_->rows.col_int(pg_->row, column);
  return sqlite3_column_int64(stmt_, column);
}

double statement::col_real(int column) const {
  if (pg_)
    return pg_->rows.col_real(pg_->row, column);
  return sqlite3_column_double(stmt_, column);
}

std::string statement::col_text(int column) const {
  if (pg_)
    return pg_->rows.col_text(pg_->row, column);
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
  if (pg_)
    return pg_->rows.col_null(pg_->row, column);
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

void statement::reset() {
  if (pg_) {
    pg_->args.clear();
    pg_->rows = {};
    pg_->ran = false;
    return;
  }
  // sqlite3_reset repeats the last step's error; step() already threw it.
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

std::string statement::sql() const {
  if (pg_)
    return pg_->sql;
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
