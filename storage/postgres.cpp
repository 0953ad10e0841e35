#include "storage/postgres.hpp"

#include <cstdio>
#include <cstdlib>
#include <utility>

#include <libpq-fe.h>

#include "config/logging.hpp"
#include "storage/postgres_sql.hpp"

namespace berry::storage {

namespace {

std::string message_of(PGconn* c) {
  std::string m = c ? PQerrorMessage(c) : "out of memory";
  while (!m.empty() && (m.back() == '\n' || m.back() == ' '))
    m.pop_back();
  return m;
}

std::string sqlstate_of(const PGresult* r) {
  const char* s = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
  return s ? s : "";
}

std::string result_message(const PGresult* r, PGconn* c) {
  const char* m = r ? PQresultErrorMessage(r) : nullptr;
  std::string out = (m && *m) ? m : message_of(c);
  while (!out.empty() && (out.back() == '\n' || out.back() == ' '))
    out.pop_back();
  return out;
}

/// The values of `args` as libpq's text parameters.
struct text_params {
  std::vector<std::string> storage;
  std::vector<const char*> values;

  explicit text_params(const std::vector<db_value>& args) {
    storage.reserve(args.size());
    values.reserve(args.size());
    for (const auto& a : args) {
      switch (a.kind) {
      case db_value::int_v:
        storage.push_back(std::to_string(a.i));
        break;
      case db_value::real_v: {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%.17g", a.r);
        storage.emplace_back(buf);
        break;
      }
      case db_value::text_v:
        storage.push_back(a.s);
        break;
      default:
        storage.emplace_back();
      }
    }
    for (std::size_t i = 0; i < args.size(); ++i)
      values.push_back(args[i].kind == db_value::null_v ? nullptr
                                                        : storage[i].c_str());
  }
  int count() const { return static_cast<int>(values.size()); }
};

bool succeeded(const PGresult* r) {
  auto st = PQresultStatus(r);
  return st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK;
}

} // namespace

pg_error::pg_error(std::string sqlstate, const std::string& what)
    : std::runtime_error(what), sqlstate_(std::move(sqlstate)) {}

bool pg_error::is_constraint() const noexcept {
  return sqlstate_.rfind("23", 0) == 0;
}

bool pg_error::is_connection() const noexcept {
  // Class 08 (connection exception), 57P01..03 (admin shutdown, crash
  // shutdown, cannot connect now), or no answer from the server at all.
  return sqlstate_.empty() || sqlstate_.rfind("08", 0) == 0 ||
         sqlstate_.rfind("57P0", 0) == 0;
}

bool pg_error::is_fenced() const noexcept {
  return sqlstate_ == "BF001";
}

// pg_rows ---------------------------------------------------------------------

void pg_rows::deleter::operator()(pg_result* r) const noexcept {
  PQclear(r);
}

pg_rows::pg_rows(pg_result* r) : res_(r) {}

int pg_rows::size() const noexcept {
  return res_ ? PQntuples(res_.get()) : 0;
}

bool pg_rows::col_null(int row, int column) const {
  return PQgetisnull(res_.get(), row, column) != 0;
}

std::string pg_rows::col_text(int row, int column) const {
  return {PQgetvalue(res_.get(), row, column),
          static_cast<std::size_t>(PQgetlength(res_.get(), row, column))};
}

int64_t pg_rows::col_int(int row, int column) const {
  if (col_null(row, column))
    return 0;
  return std::strtoll(PQgetvalue(res_.get(), row, column), nullptr, 10);
}

double pg_rows::col_real(int row, int column) const {
  if (col_null(row, column))
    return 0;
  return std::strtod(PQgetvalue(res_.get(), row, column), nullptr);
}

void pg_rows::unknown_text(int row, int column) const {
  throw pg_error("22000", "unknown value '" + col_text(row, column) +
                              "' in column " + PQfname(res_.get(), column));
}

// pg_connection ---------------------------------------------------------------

void pg_connection::deleter::operator()(pg_conn* c) const noexcept {
  PQfinish(c);
}

pg_connection pg_connection::open(const std::string& conninfo,
                                  std::string setup) {
  pg_connection out;
  out.conninfo_ = conninfo;
  out.setup_ = std::move(setup);
  out.conn_.reset(PQconnectdb(conninfo.c_str()));
  if (!out.conn_ || PQstatus(out.conn_.get()) != CONNECTION_OK)
    throw pg_error("", "cannot connect to PostgreSQL: " +
                           message_of(out.conn_.get()));
  // Errors and notices in English whatever the server's locale, and no
  // notices on stderr.
  PQsetNoticeProcessor(
      out.conn_.get(), [](void*, const char*) {}, nullptr);
  if (!out.setup_.empty())
    out.exec(out.setup_);
  return out;
}

void pg_connection::reopen() {
  log::warn("reconnecting to PostgreSQL",
            {{"error", conn_ ? message_of(conn_.get()) : "not connected"}});
  try {
    *this = open(conninfo_, setup_);
  } catch (const pg_error& e) {
    log::error("PostgreSQL reconnect failed", {{"error", e.what()}});
    throw;
  }
  log::info("reconnected to PostgreSQL",
            {{"host", std::string{PQhost(conn_.get())}},
             {"port", std::string{PQport(conn_.get())}}});
}

bool pg_connection::alive() noexcept {
  // Reads what the server sent while the connection was idle, without
  // blocking: a server that restarted or shut down has closed the socket
  // (or sent its FATAL), and libpq then marks the connection bad.
  // A shutdown sends a FATAL message first: the first read takes it (and
  // PQisBusy parses it, a notice when idle), the second meets the end.
  if (!conn_)
    return false;
  for (int i = 0; i < 2; ++i) {
    if (PQconsumeInput(conn_.get()) != 1)
      return false;
    PQisBusy(conn_.get());
  }
  return PQstatus(conn_.get()) == CONNECTION_OK;
}

void pg_connection::ensure_open() {
  if (!alive() && !conninfo_.empty())
    reopen();
}

bool pg_connection::ok() const noexcept {
  return conn_ && PQstatus(conn_.get()) == CONNECTION_OK;
}

bool pg_connection::in_transaction() const noexcept {
  if (!conn_)
    return false;
  auto st = PQtransactionStatus(conn_.get());
  return st == PQTRANS_INTRANS || st == PQTRANS_INERROR || st == PQTRANS_ACTIVE;
}

void pg_connection::exec(const std::string& sql) {
  ensure_open();
  std::unique_ptr<PGresult, decltype(&PQclear)> r(
      PQexec(conn_.get(), sql.c_str()), &PQclear);
  if (!succeeded(r.get()))
    throw pg_error(sqlstate_of(r.get()), result_message(r.get(), conn_.get()));
}

const std::string& pg_connection::prepared(const std::string& sql) {
  auto it = names_.find(sql);
  if (it != names_.end())
    return it->second;
  std::string name = "s" + std::to_string(names_.size() + 1);
  std::string text = to_postgres(sql);
  std::unique_ptr<PGresult, decltype(&PQclear)> r(
      PQprepare(conn_.get(), name.c_str(), text.c_str(), 0, nullptr), &PQclear);
  if (!succeeded(r.get()))
    throw pg_error(sqlstate_of(r.get()),
                   result_message(r.get(), conn_.get()) + " [" + text + "]");
  return names_.emplace(sql, std::move(name)).first->second;
}

pg_rows pg_connection::query(const db_statement& x) {
  ensure_open();
  const auto& name = prepared(x.sql);
  text_params p{x.args};
  PGresult* r = PQexecPrepared(conn_.get(), name.c_str(), p.count(),
                               p.values.data(), nullptr, nullptr, 0);
  pg_rows rows{r};
  if (!succeeded(r))
    throw pg_error(sqlstate_of(r), result_message(r, conn_.get()));
  return rows;
}

int64_t pg_connection::run(const db_statement& x) {
  ensure_open();
  const auto& name = prepared(x.sql);
  text_params p{x.args};
  std::unique_ptr<PGresult, decltype(&PQclear)> r(
      PQexecPrepared(conn_.get(), name.c_str(), p.count(), p.values.data(),
                     nullptr, nullptr, 0),
      &PQclear);
  if (!succeeded(r.get()))
    throw pg_error(sqlstate_of(r.get()), result_message(r.get(), conn_.get()));
  const char* n = PQcmdTuples(r.get());
  changes_ = (n && *n) ? std::strtoll(n, nullptr, 10) : 0;
  return changes_;
}

pg_connection::pipeline_outcome
pg_connection::pipeline(const std::vector<db_statement>& xs) {
  PGconn* c = conn_.get();
  // Prepare outside the pipeline, once per text and connection.
  std::vector<const std::string*> names;
  names.reserve(xs.size());
  for (const auto& x : xs)
    names.push_back(&prepared(x.sql));
  if (PQenterPipelineMode(c) != 1)
    throw pg_error("", "cannot enter pipeline mode: " + message_of(c));
  struct leave {
    PGconn* c;
    ~leave() { PQexitPipelineMode(c); }
  } guard{c};
  for (std::size_t i = 0; i < xs.size(); ++i) {
    text_params p{xs[i].args};
    if (PQsendQueryPrepared(c, names[i]->c_str(), p.count(), p.values.data(),
                            nullptr, nullptr, 0) != 1)
      throw pg_error("", message_of(c));
  }
  if (PQpipelineSync(c) != 1)
    throw pg_error("", message_of(c));
  pipeline_outcome out;
  // One result (then a null) per statement, then the sync's result.
  for (std::size_t i = 0; i < xs.size(); ++i) {
    PGresult* r = PQgetResult(c);
    if (!r)
      throw pg_error("", "pipeline ended early: " + message_of(c));
    auto st = PQresultStatus(r);
    if (out.failed_at < 0 && st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
      out.failed_at = static_cast<int>(i);
      out.sqlstate = sqlstate_of(r);
      out.message = result_message(r, c);
      if (st == PGRES_PIPELINE_ABORTED && out.sqlstate.empty())
        out.message = "pipeline aborted";
    }
    PQclear(r);
    while ((r = PQgetResult(c)) != nullptr) // the null after each result
      PQclear(r);
  }
  PGresult* sync = PQgetResult(c);
  bool synced = sync && PQresultStatus(sync) == PGRES_PIPELINE_SYNC;
  PQclear(sync);
  if (!synced)
    throw pg_error("", "pipeline lost its sync: " + message_of(c));
  if (out.failed_at >= 0 && out.sqlstate.empty() && !ok())
    throw pg_error("", out.message);
  return out;
}

bool pg_connection::is_primary() {
  auto rows = query({"SELECT pg_is_in_recovery()", {}});
  return !rows.empty() && rows.col_text(0, 0) == "f";
}

} // namespace berry::storage
