#include "storage/order_repo.hpp"

namespace berry::storage {

namespace sql {

constexpr const char* update_order_status =
    "UPDATE orders SET status = ?2, payment_id = ?3, cancel_reason = ?4,"
    " courier_id = ?5, courier_lat = ?6, courier_lon = ?7, eta_s = ?8,"
    " updated_at = ?9 WHERE id = ?1";

constexpr const char* update_plan_attempt =
    "UPDATE orders SET plan_attempt = ?2 WHERE id = ?1";

constexpr const char* update_cancel_reason =
    "UPDATE orders SET cancel_reason = ?2 WHERE id = ?1";

constexpr const char* delete_order_lines =
    "DELETE FROM order_lines WHERE order_id = ?1";

constexpr const char* insert_order_line =
    "INSERT INTO order_lines (order_id, line_no, product_id, qty, unit_price,"
    " warehouse_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6)";

constexpr const char* insert_order_event =
    "INSERT INTO order_events (order_id, status, at, detail)"
    " VALUES (?1, ?2, ?3, ?4)";

constexpr const char* select_order_lines =
    "SELECT product_id, qty, unit_price, warehouse_id FROM order_lines"
    " WHERE order_id = ?1 ORDER BY line_no";

constexpr const char* select_order_events =
    "SELECT status, at FROM order_events WHERE order_id = ?1 ORDER BY id";

} // namespace sql

namespace {

db_value text(const std::string& s) {
  return db_value::of(s);
}

void add_lines(std::vector<db_statement>& out, const std::string& order_id,
               const std::vector<order_line>& lines) {
  int64_t no = 0;
  for (auto& l : lines)
    out.push_back({sql::insert_order_line,
                   {text(order_id), db_value::of(++no), text(l.product_id),
                    db_value::of(int64_t{l.qty}), db_value::of(l.unit_price),
                    text(l.warehouse_id)}});
}

} // namespace

const char* const order_columns =
    "id, user_id, status, total, lat, lon, address_text, payment_token,"
    " payment_id, cancel_reason, idempotency_key, request_hash, courier_id,"
    " courier_lat, courier_lon, eta_s, created_at, from_cart, plan_attempt";

order_record read_order_row(statement& st) {
  order_record x;
  x.id = st.col_text(0);
  x.user_id = st.col_text(1);
  x.status = st.col_enum<order_status>(2);
  x.total = st.col_int(3);
  x.address.location = {st.col_real(4), st.col_real(5)};
  x.address.text = st.col_text(6);
  x.payment_token = st.col_text(7);
  x.payment_id = st.col_text(8);
  x.cancel_reason = st.col_enum<compensation_reason>(9);
  x.idempotency_key = st.col_text(10);
  x.request_hash = st.col_text(11);
  x.courier_id = st.col_text(12);
  x.courier_location = {st.col_real(13), st.col_real(14)};
  x.eta_s = st.col_int(15);
  x.created_at_ms = st.col_int(16);
  x.from_cart = st.col_int(17) != 0;
  x.attempt = st.col_int(18);
  return x;
}

namespace {

/// Adds lines and history to orders read by read_order_row; `lines` and
/// `events` are select_order_lines and select_order_events, prepared once
/// for all the orders of a load (a restart loads every unfinished order).
void complete(statement& lines, statement& events, order_record& x) {
  lines.reset();
  lines.bind(1, x.id);
  while (lines.step())
    x.lines.push_back({lines.col_text(0),
                       static_cast<int32_t>(lines.col_int(1)), lines.col_int(2),
                       lines.col_text(3)});
  events.reset();
  events.bind(1, x.id);
  while (events.step())
    x.history.push_back({events.col_enum<order_status>(0), events.col_int(1)});
}

std::vector<order_record> load_where(database& db, const std::string& where,
                                     const std::vector<std::string>& args) {
  auto st = db.prepare(std::string{"SELECT "} + order_columns +
                       " FROM orders " + where);
  for (size_t i = 0; i < args.size(); ++i)
    st.bind(static_cast<int>(i + 1), args[i]);
  std::vector<order_record> out;
  while (st.step())
    out.push_back(read_order_row(st));
  if (out.empty())
    return out;
  auto lines = db.prepare(sql::select_order_lines);
  auto events = db.prepare(sql::select_order_events);
  for (auto& x : out)
    complete(lines, events, x);
  return out;
}

} // namespace

std::vector<db_statement> insert_order(const order_record& x) {
  std::vector<db_statement> out;
  out.push_back(
      {sql::insert_order,
       {text(x.id), text(x.user_id), db_value::of(to_string(x.status)),
        db_value::of(x.total), db_value::of(x.address.location.lat),
        db_value::of(x.address.location.lon), text(x.address.text),
        text(x.payment_token), text(x.payment_id),
        db_value::of(to_string(x.cancel_reason)), text(x.idempotency_key),
        text(x.request_hash), db_value::of(int64_t{x.from_cart}),
        db_value::of(x.created_at_ms)}});
  add_lines(out, x.id, x.lines);
  for (auto& h : x.history)
    out.push_back(append_order_event(x.id, h));
  return out;
}

std::vector<db_statement>
replace_order_lines(const std::string& order_id,
                    const std::vector<order_line>& lines) {
  std::vector<db_statement> out;
  out.push_back({sql::delete_order_lines, {text(order_id)}});
  add_lines(out, order_id, lines);
  return out;
}

db_statement append_order_event(const std::string& order_id,
                                const status_change& change,
                                const std::string& detail) {
  return {sql::insert_order_event,
          {text(order_id), db_value::of(to_string(change.status)),
           db_value::of(change.at_ms), text(detail)}};
}

std::vector<db_statement> statements_for(const order_created& x) {
  return insert_order(x.order);
}

std::vector<db_statement> statements_for(const order_lines_planned& x) {
  auto out = replace_order_lines(x.order_id, x.lines);
  out.push_back(
      {sql::update_plan_attempt, {text(x.order_id), db_value::of(x.attempt)}});
  return out;
}

std::vector<db_statement> statements_for(const order_status_changed& x) {
  return {{sql::update_order_status,
           {text(x.order_id), db_value::of(to_string(x.entry.status)),
            text(x.payment_id), db_value::of(to_string(x.cancel_reason)),
            text(x.courier_id), db_value::of(x.courier_location.lat),
            db_value::of(x.courier_location.lon), db_value::of(x.eta_s),
            db_value::of(x.entry.at_ms)}},
          append_order_event(x.order_id, x.entry)};
}

std::vector<db_statement> statements_for(const order_cancel_reason_set& x) {
  return {{sql::update_cancel_reason,
           {text(x.order_id), db_value::of(to_string(x.reason))}}};
}

std::optional<order_record> load_order(database& db, const std::string& id) {
  auto found = load_where(db, "WHERE id = ?1", {id});
  if (found.empty())
    return std::nullopt;
  return std::move(found.front());
}

std::optional<order_record> find_order_by_key(database& db,
                                              const std::string& user_id,
                                              const std::string& key) {
  auto found = load_where(db, "WHERE user_id = ?1 AND idempotency_key = ?2",
                          {user_id, key});
  if (found.empty())
    return std::nullopt;
  return std::move(found.front());
}

std::vector<order_record> load_user_orders(database& db,
                                           const std::string& user_id) {
  return load_where(db, "WHERE user_id = ?1 ORDER BY created_at DESC, id DESC",
                    {user_id});
}

std::vector<order_record> load_open_orders(database& db) {
  return load_where(db,
                    "WHERE status NOT IN ('delivered', 'cancelled', 'returned')"
                    " OR (status = 'delivered' AND cancel_reason != '')"
                    " ORDER BY created_at, id",
                    {});
}

} // namespace berry::storage
