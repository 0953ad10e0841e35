#include "storage/database.hpp"

#include <cctype>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <utility>

#include <sqlite3.h>

#include "storage/postgres.hpp"
#include "storage/russian_words.hpp"

namespace berry::storage {

namespace {

std::string message_of(sqlite3* db, int rc, const std::string& context) {
  std::string out = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  if (!context.empty())
    out += " [" + context + "]";
  return out;
}

bool is_identifier(const std::string& s) {
  if (s.empty() || std::isdigit(static_cast<unsigned char>(s[0])))
    return false;
  for (char c : s)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_')
      return false;
  return true;
}

// A database file holds password hashes, emails and addresses: only its
// owner reads it. SQLite gives -wal and -shm the database file's mode.
void restrict_to_owner(const std::string& path) {
  if (path.empty() || path == ":memory:" || path.rfind("file:", 0) == 0)
    return;
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd >= 0)
    ::close(fd);
  for (auto suffix : {"", "-wal", "-shm"})
    ::chmod((path + suffix).c_str(), 0600);
}

} // namespace

// -- db_error -----------------------------------------------------------------

db_error::db_error(int code, const std::string& what, bool unreachable)
    : std::runtime_error(what), code_(code), unreachable_(unreachable) {}

bool store_unreachable(const std::exception& e) noexcept {
  if (auto db = dynamic_cast<const db_error*>(&e))
    return db->is_unreachable();
  if (auto pg = dynamic_cast<const pg_error*>(&e))
    return pg->is_connection();
  return false;
}

bool db_error::is_constraint() const noexcept {
  return primary_code() == SQLITE_CONSTRAINT;
}

bool db_error::is_busy() const noexcept {
  return primary_code() == SQLITE_BUSY || primary_code() == SQLITE_LOCKED;
}

void throw_as_db_error(const pg_error& e) {
  const std::string& state = e.sqlstate();
  int code = SQLITE_ERROR;
  if (state == "23505")
    code = SQLITE_CONSTRAINT_UNIQUE;
  else if (state == "23514")
    code = SQLITE_CONSTRAINT_CHECK;
  else if (state == "23503")
    code = SQLITE_CONSTRAINT_FOREIGNKEY;
  else if (state == "23502")
    code = SQLITE_CONSTRAINT_NOTNULL;
  else if (e.is_constraint())
    code = SQLITE_CONSTRAINT;
  else if (state == "55P03" || state == "40P01" || state == "40001")
    code = SQLITE_BUSY;
  else if (e.is_connection())
    code = SQLITE_IOERR;
  throw db_error(code,
                 std::string{e.what()} +
                     (state.empty() ? "" : " (SQLSTATE " + state + ")"),
                 e.is_connection());
}

// -- database -----------------------------------------------------------------

void database::pg_close::operator()(pg_connection* c) const noexcept {
  delete c;
}

database::database(database&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)), pg_(std::move(other.pg_)) {}

database& database::operator=(database&& other) noexcept {
  if (this != &other) {
    if (db_)
      sqlite3_close_v2(db_);
    db_ = std::exchange(other.db_, nullptr);
    pg_ = std::move(other.pg_);
  }
  return *this;
}

bool database::is_postgres_location(const std::string& location) {
  return location.rfind("postgresql://", 0) == 0 ||
         location.rfind("postgres://", 0) == 0 ||
         location.find("dbname=") != std::string::npos ||
         location.find("host=") != std::string::npos;
}

database::~database() {
  // close_v2 defers the close until every statement is finalized, so a
  // statement outliving its database by mistake does not crash.
  if (db_)
    sqlite3_close_v2(db_);
}

database database::open(const std::string& path, open_mode mode) {
  if (is_postgres_location(path)) {
    database db;
    try {
      db.pg_.reset(new pg_connection(pg_connection::open(
          path, mode == open_mode::read_only
                    ? "SET default_transaction_read_only = on"
                    : "")));
    } catch (const pg_error& e) {
      throw_as_db_error(e);
    }
    return db;
  }
  int flags = mode == open_mode::read_only
                  ? SQLITE_OPEN_READONLY
                  : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
  flags |= SQLITE_OPEN_NOMUTEX; // one connection per thread: no mutex needed
  if (mode == open_mode::read_write)
    restrict_to_owner(path);
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  database db{raw}; // owns `raw` even when opening failed
  if (rc != SQLITE_OK) {
    int code = raw ? sqlite3_extended_errcode(raw) : rc;
    throw db_error(code, message_of(raw, rc, "open " + path));
  }
  sqlite3_extended_result_codes(raw, 1);
  if (mode == open_mode::read_write)
    db.exec("PRAGMA journal_mode=WAL");
  db.exec("PRAGMA busy_timeout=5000");
  db.exec("PRAGMA foreign_keys=ON");
  register_russian_tokenizer(db);
  return db;
}

void database::exec(const std::string& sql) {
  if (pg_) {
    try {
      pg_->exec(sql);
    } catch (const pg_error& e) {
      throw_as_db_error(e);
    }
    return;
  }
  char* err = nullptr;
  int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err);
  if (rc != SQLITE_OK) {
    std::string msg = err ? err : sqlite3_errstr(rc);
    sqlite3_free(err);
    throw db_error(sqlite3_extended_errcode(db_), msg);
  }
}

void database::set_synchronous(const std::string& full_normal_off) {
  std::string mode;
  for (char c : full_normal_off)
    mode += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  // Only known words reach the PRAGMA: it takes no bound parameter.
  if (mode != "FULL" && mode != "NORMAL" && mode != "OFF" && mode != "EXTRA")
    throw db_error(SQLITE_MISUSE, "bad synchronous mode: " + full_normal_off);
  if (pg_) // durable at COMMIT unless the caller asked for nothing
    exec(std::string{"SET synchronous_commit = "} +
         (mode == "OFF" ? "off" : "on"));
  else
    exec("PRAGMA synchronous=" + mode);
}

statement database::prepare(const std::string& sql) {
  if (pg_)
    return statement{pg_.get(), sql};
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v2(db_, sql.c_str(), static_cast<int>(sql.size()),
                              &stmt, nullptr);
  if (rc != SQLITE_OK) {
    sqlite3_finalize(stmt);
    throw db_error(sqlite3_extended_errcode(db_), message_of(db_, rc, sql));
  }
  return statement{db_, stmt};
}

bool database::in_transaction() const {
  if (pg_)
    return pg_->in_transaction();
  return db_ && sqlite3_get_autocommit(db_) == 0;
}

int64_t database::changes() const {
  return pg_ ? pg_->last_changes() : sqlite3_changes(db_);
}

void execute(database& db, const db_statement& x) {
  auto stmt = db.prepare(x.sql);
  stmt.bind_all(x.args);
  stmt.run();
}

// -- transaction and savepoint ------------------------------------------------

transaction::transaction(database& db) : db_(db) {
  if (db_.is_postgres())
    db_.exec("BEGIN; SELECT pg_advisory_xact_lock(4242002)");
  else
    db_.exec("BEGIN IMMEDIATE");
}

transaction::~transaction() {
  if (open_) {
    try {
      rollback();
    } catch (...) {
      // Nothing left to undo: SQLite already rolled back on its own.
    }
  }
}

void transaction::commit() {
  db_.exec("COMMIT");
  open_ = false;
}

void transaction::rollback() {
  open_ = false;
  if (db_.in_transaction())
    db_.exec("ROLLBACK");
}

savepoint::savepoint(database& db, std::string name)
    : db_(db), name_(std::move(name)) {
  if (!is_identifier(name_))
    throw db_error(SQLITE_MISUSE, "bad savepoint name: " + name_);
  db_.exec("SAVEPOINT " + name_);
}

savepoint::~savepoint() {
  if (open_) {
    try {
      rollback();
    } catch (...) {
      // The enclosing transaction is gone; its owner reports that.
    }
  }
}

void savepoint::release() {
  db_.exec("RELEASE " + name_);
  open_ = false;
}

void savepoint::rollback() {
  open_ = false;
  if (db_.in_transaction())
    db_.exec("ROLLBACK TO " + name_ + "; RELEASE " + name_);
}

} // namespace berry::storage
