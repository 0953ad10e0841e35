#include "storage/payment_repo.hpp"

namespace berry::storage {

db_statement upsert_provider_payment(const provider_payment& x) {
  return {sql::upsert_provider_payment,
          {db_value::of(x.key), db_value::of(x.payment_id),
           db_value::of(x.order_id), db_value::of(to_string(x.kind)),
           db_value::of(x.amount), db_value::of(x.token),
           db_value::of(to_string(x.status)), db_value::of(x.attempts),
           db_value::of(x.created_at_ms)}};
}

db_statement bump_provider_attempts(const std::string& key,
                                    payment_status status) {
  return {sql::bump_provider_attempts,
          {db_value::of(key), db_value::of(to_string(status))}};
}

std::vector<db_statement> statements_for(const payment_recorded& x) {
  return {upsert_provider_payment(x.payment)};
}

std::vector<db_statement> statements_for(const payment_retried& x) {
  return {bump_provider_attempts(x.key, x.status)};
}

namespace {

/// The rows a select of provider_payments' columns gives.
std::vector<provider_payment> read_rows(statement& stmt) {
  std::vector<provider_payment> out;
  while (stmt.step()) {
    provider_payment x;
    x.key = stmt.col_text(0);
    x.payment_id = stmt.col_text(1);
    x.order_id = stmt.col_text(2);
    x.kind = stmt.col_enum<payment_kind>(3);
    x.amount = stmt.col_int(4);
    x.token = stmt.col_text(5);
    x.status = stmt.col_enum<payment_status>(6);
    x.attempts = stmt.col_int(7);
    x.created_at_ms = stmt.col_int(8);
    out.push_back(std::move(x));
  }
  return out;
}

} // namespace

std::vector<provider_payment> load_provider_payments(database& db) {
  auto stmt = db.prepare(sql::select_provider_payments);
  return read_rows(stmt);
}

std::vector<provider_payment>
find_provider_payments(statement_cache& db, const std::string& order_id,
                       const std::string& key) {
  auto& stmt = db.get(sql::select_provider_payments_of);
  stmt.bind(1, order_id).bind(2, key);
  auto out = read_rows(stmt);
  // Done with it: no read transaction stays open between lookups.
  stmt.reset();
  return out;
}

} // namespace berry::storage
