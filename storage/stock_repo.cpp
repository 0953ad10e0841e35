#include "storage/stock_repo.hpp"

namespace berry::storage {

namespace {

/// Reads rows of (order_id, product_id, qty, expires_at), ordered by order,
/// into one reservation per order. With `attempts`, a fifth column gives
/// each order's attempt (the same on each of its rows), one per reservation.
std::vector<reservation> grouped(statement& stmt,
                                 const std::string& warehouse_id,
                                 std::vector<int64_t>* attempts) {
  std::vector<reservation> out;
  while (stmt.step()) {
    auto order_id = stmt.col_text(0);
    if (out.empty() || out.back().order_id != order_id) {
      out.push_back({order_id, warehouse_id, {}, 0});
      if (attempts)
        attempts->push_back(stmt.col_int(4));
    }
    auto& r = out.back();
    order_line line;
    line.product_id = stmt.col_text(1);
    line.qty = static_cast<int32_t>(stmt.col_int(2));
    line.warehouse_id = warehouse_id;
    r.lines.push_back(std::move(line));
    // Every line of a reservation expires together.
    r.expires_at_ms = stmt.col_int(3);
  }
  return out;
}

std::vector<reservation>
select_grouped(database& db, const char* sql, const std::string& warehouse_id,
               std::vector<int64_t>* attempts = nullptr) {
  auto stmt = db.prepare(sql);
  stmt.bind(1, warehouse_id);
  return grouped(stmt, warehouse_id, attempts);
}

} // namespace

std::vector<reservation> load_reservations(database& db,
                                           const std::string& warehouse_id) {
  return select_grouped(db, sql::select_reservations, warehouse_id);
}

std::vector<warehouse_hold_row>
load_live_reservations(database& db, const std::string& warehouse_id) {
  std::vector<int64_t> attempts;
  auto held = select_grouped(db, sql::select_live_reservations, warehouse_id,
                             &attempts);
  std::vector<warehouse_hold_row> out;
  out.reserve(held.size());
  for (size_t i = 0; i < held.size(); ++i)
    out.push_back({hold_state::reserved, std::move(held[i]), attempts[i]});
  return out;
}

std::optional<warehouse_hold_row>
find_warehouse_hold(statement_cache& db, const std::string& order_id,
                    const std::string& warehouse_id) {
  auto& stmt = db.get(sql::select_warehouse_hold);
  stmt.bind(1, order_id).bind(2, warehouse_id);
  std::optional<warehouse_hold_row> out;
  while (stmt.step()) {
    if (!out)
      out = warehouse_hold_row{stmt.col_enum<hold_state>(0),
                               {order_id, warehouse_id, {}, 0},
                               stmt.col_int(4)};
    if (stmt.col_null(1))
      continue; // a hold without lines: released or restocked
    auto& r = out->held;
    r.lines.push_back({stmt.col_text(1), static_cast<int32_t>(stmt.col_int(2)),
                       0, warehouse_id});
    r.expires_at_ms = stmt.col_int(3);
  }
  // Done with it: no read transaction stays open between lookups.
  stmt.reset();
  return out;
}

std::vector<warehouse_order_row>
load_warehouse_orders(database& db, const std::string& warehouse_id) {
  std::vector<warehouse_order_row> out;
  auto stmt = db.prepare(sql::select_warehouse_orders);
  stmt.bind(1, warehouse_id);
  while (stmt.step())
    out.push_back(
        {stmt.col_text(0), stmt.col_enum<hold_state>(1), stmt.col_int(2)});
  return out;
}

db_statement ensure_stock_row(const std::string& warehouse_id,
                              const std::string& product_id) {
  return {sql::ensure_stock_row,
          {db_value::of(warehouse_id), db_value::of(product_id)}};
}

db_statement add_stock(const stock_level& delta, int64_t sold) {
  return {sql::add_stock,
          {db_value::of(delta.warehouse_id), db_value::of(delta.product_id),
           db_value::of(delta.on_hand), db_value::of(delta.reserved),
           db_value::of(sold)}};
}

db_statement put_reservation(const std::string& order_id,
                             const std::string& warehouse_id,
                             const std::string& product_id, int64_t qty,
                             int64_t expires_at_ms) {
  return {sql::put_reservation,
          {db_value::of(order_id), db_value::of(warehouse_id),
           db_value::of(product_id), db_value::of(qty),
           db_value::of(expires_at_ms)}};
}

db_statement delete_reservations(const std::string& order_id,
                                 const std::string& warehouse_id) {
  return {sql::delete_reservations,
          {db_value::of(order_id), db_value::of(warehouse_id)}};
}

db_statement put_warehouse_order(const std::string& order_id,
                                 const std::string& warehouse_id,
                                 hold_state state, int64_t updated_at_ms,
                                 int64_t attempt) {
  return {sql::put_warehouse_order,
          {db_value::of(order_id), db_value::of(warehouse_id),
           db_value::of(to_string(state)), db_value::of(updated_at_ms),
           db_value::of(attempt)}};
}

std::vector<db_statement> statements_for(const stock_changed& x) {
  auto& d = x.delta;
  return {ensure_stock_row(d.warehouse_id, d.product_id), add_stock(d, x.sold)};
}

std::vector<db_statement> statements_for(const hold_changed& x) {
  std::vector<db_statement> out;
  if (x.state == hold_state::reserved) {
    // A first hold has no lines stored to replace: a checkout's reserve
    // skips the DELETE (with its foreign-key checks) that finds nothing.
    if (!x.fresh)
      out.push_back(delete_reservations(x.order_id, x.warehouse_id));
    for (auto& l : x.lines)
      out.push_back(put_reservation(x.order_id, x.warehouse_id, l.product_id,
                                    l.qty, x.expires_at_ms));
  } else if (x.state != hold_state::committed) {
    out.push_back(delete_reservations(x.order_id, x.warehouse_id));
  }
  out.push_back(put_warehouse_order(x.order_id, x.warehouse_id, x.state,
                                    x.at_ms, x.attempt));
  return out;
}

} // namespace berry::storage
