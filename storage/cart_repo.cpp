#include "storage/cart_repo.hpp"

namespace berry::storage {

std::vector<cart_line> load_cart(database& db, const std::string& user_id) {
  std::vector<cart_line> out;
  auto stmt = db.prepare(sql::select_cart);
  stmt.bind(1, user_id);
  while (stmt.step())
    out.push_back({stmt.col_text(0), static_cast<int32_t>(stmt.col_int(1))});
  return out;
}

db_statement put_cart_line(const std::string& user_id,
                           const std::string& product_id, int32_t qty) {
  return {sql::upsert_cart_line,
          {db_value::of(user_id), db_value::of(product_id),
           db_value::of(int64_t{qty})}};
}

db_statement delete_cart_line(const std::string& user_id,
                              const std::string& product_id) {
  return {sql::delete_cart_line,
          {db_value::of(user_id), db_value::of(product_id)}};
}

db_statement clear_cart(const std::string& user_id) {
  return {sql::delete_cart, {db_value::of(user_id)}};
}

std::vector<db_statement> statements_for(const cart_line_set& x) {
  if (x.qty == 0)
    return {delete_cart_line(x.user_id, x.product_id)};
  return {put_cart_line(x.user_id, x.product_id, x.qty)};
}

std::vector<db_statement> statements_for(const cart_cleared& x) {
  return {clear_cart(x.user_id)};
}

} // namespace berry::storage
