// The unfinished orders of one order shard (issue 14): which orders are
// unfinished is asked of SQL, which shard an id falls in of C++.

#include "storage/order_repo.hpp"

namespace berry::storage {

namespace sql {

// As load_open_orders: not final, or delivered with a return under way.
constexpr const char* select_open_order_ids =
    "SELECT id FROM orders"
    " WHERE status NOT IN ('delivered', 'cancelled', 'returned')"
    " OR (status = 'delivered' AND cancel_reason != '')"
    " ORDER BY created_at, id";

} // namespace sql

std::vector<order_record>
load_open_orders_of(database& db,
                    const std::function<bool(const std::string&)>& keep) {
  std::vector<std::string> ids;
  {
    auto st = db.prepare(sql::select_open_order_ids);
    while (st.step()) {
      auto id = st.col_text(0);
      if (keep(id))
        ids.push_back(std::move(id));
    }
  }
  std::vector<order_record> out;
  out.reserve(ids.size());
  for (auto& id : ids)
    if (auto rec = load_order(db, id))
      out.push_back(std::move(*rec));
  return out;
}

} // namespace berry::storage
