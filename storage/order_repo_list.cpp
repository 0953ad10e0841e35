// A page of a user's orders in one query: the order rows, their lines and
// history folded into text columns by correlated subqueries, and the count
// of all matches as a window over the same rows.

#include "storage/order_repo.hpp"

#include <string_view>

namespace berry::storage {

namespace sql {

// Fields within an entry are split by char(31), entries by char(30): ids,
// statuses and numbers never hold either.
constexpr const char* order_page_tail =
    ", number,"
    " (SELECT group_concat(product_id || char(31) || qty || char(31) ||"
    "   unit_price || char(31) || warehouse_id, char(30)) FROM"
    "   (SELECT * FROM order_lines l WHERE l.order_id = o.id"
    "    ORDER BY line_no) AS lines_in_order),"
    " (SELECT group_concat(status || char(31) || at, char(30)) FROM"
    "   (SELECT status, at FROM order_events e WHERE e.order_id = o.id"
    "    ORDER BY id) AS events_in_order),"
    " COUNT(*) OVER ()"
    " FROM orders o WHERE user_id = ?1 AND ";

// Cancelled without ever being paid: a declined card, a sold-out line.
constexpr const char* paid_or_running =
    "(?2 OR status != 'cancelled' OR EXISTS (SELECT 1 FROM order_events p"
    " WHERE p.order_id = o.id AND p.status = 'paid'))";

constexpr const char* newest_first =
    " ORDER BY created_at DESC, id DESC LIMIT ?3 OFFSET ?4";

} // namespace sql

namespace {

std::vector<std::string> split(std::string_view s, char sep) {
  std::vector<std::string> out;
  if (s.empty())
    return out;
  for (;;) {
    auto at = s.find(sep);
    out.emplace_back(s.substr(0, at));
    if (at == std::string_view::npos)
      return out;
    s.remove_prefix(at + 1);
  }
}

void read_lines(const std::string& text, order_record& x) {
  for (auto& entry : split(text, '\x1e')) {
    auto f = split(entry, '\x1f');
    if (f.size() == 4)
      x.lines.push_back({f[0], static_cast<int32_t>(std::stoll(f[1])),
                         std::stoll(f[2]), f[3]});
  }
}

void read_history(const std::string& text, order_record& x) {
  for (auto& entry : split(text, '\x1e')) {
    auto f = split(entry, '\x1f');
    order_status status{};
    if (f.size() == 2 && from_string(f[0], status))
      x.history.push_back({status, std::stoll(f[1])});
  }
}

int64_t count_orders(database& db, const order_list_query& q) {
  auto st = db.prepare(std::string{"SELECT COUNT(*) FROM orders o"
                                   " WHERE user_id = ?1 AND "} +
                       sql::paid_or_running);
  st.bind(1, q.user_id).bind(2, int64_t{q.include_unpaid});
  return st.step() ? st.col_int(0) : 0;
}

} // namespace

order_list_page load_order_page(database& db, const order_list_query& q) {
  auto st =
      db.prepare(std::string{"SELECT "} + order_columns + sql::order_page_tail +
                 sql::paid_or_running + sql::newest_first);
  st.bind(1, q.user_id)
      .bind(2, int64_t{q.include_unpaid})
      .bind(3, q.page_size)
      .bind(4, (q.page - 1) * q.page_size);
  order_list_page out;
  constexpr int tail = 19; // the columns after order_columns
  while (st.step()) {
    listed_order item{read_order_row(st), st.col_int(tail)};
    read_lines(st.col_text(tail + 1), item.order);
    read_history(st.col_text(tail + 2), item.order);
    out.total = st.col_int(tail + 3);
    out.items.push_back(std::move(item));
  }
  if (out.items.empty() && q.page > 1)
    out.total = count_orders(db, q);
  return out;
}

std::optional<int64_t> find_order_number(database& db,
                                         const std::string& order_id) {
  auto st = db.prepare("SELECT number FROM orders WHERE id = ?1");
  st.bind(1, order_id);
  if (!st.step())
    return std::nullopt;
  return st.col_int(0);
}

} // namespace berry::storage
