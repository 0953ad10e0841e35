#include "storage/search_popular.hpp"

namespace berry::storage {

namespace sql {

constexpr const char* units_sold =
    "SELECT product_id, SUM(sold) FROM stock WHERE sold > 0"
    " GROUP BY product_id";

} // namespace sql

std::unordered_map<std::string, int64_t> units_sold(database& db) {
  std::unordered_map<std::string, int64_t> out;
  auto stmt = db.prepare(sql::units_sold);
  while (stmt.step())
    out[stmt.col_text(0)] = stmt.col_int(1);
  return out;
}

} // namespace berry::storage
