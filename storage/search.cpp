#include "storage/search.hpp"

#include <cstdint>

namespace berry::storage {

namespace {

// Title hits weigh three times description hits: someone typing "платье"
// wants dresses before products whose description mentions one.
constexpr const char* search_sql =
    "SELECT p.id FROM products_fts"
    " JOIN products AS p ON p.rowid = products_fts.rowid"
    " WHERE products_fts MATCH ?1"
    " ORDER BY bm25(products_fts, 3.0, 1.0), p.id LIMIT ?2";

constexpr const char* rebuild_sql =
    "INSERT INTO products_fts (products_fts) VALUES ('rebuild')";

bool is_word_byte(unsigned char c) {
  return c >= 0x80 || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
         (c >= 'A' && c <= 'Z');
}

} // namespace

std::string to_fts_query(std::string_view user_query) {
  std::string out;
  std::size_t words = 0;
  std::size_t i = 0;
  while (i < user_query.size() && words < max_query_words) {
    if (!is_word_byte(static_cast<unsigned char>(user_query[i]))) {
      ++i;
      continue;
    }
    auto start = i;
    while (i < user_query.size() &&
           is_word_byte(static_cast<unsigned char>(user_query[i])))
      ++i;
    // Juxtaposition is FTS5's implicit AND. Unlike an explicit AND it skips a
    // phrase the tokenizer finds empty ("—", "«"), which would otherwise
    // make the whole query match nothing.
    if (words++ > 0)
      out += ' ';
    // A word holds no '"', so quoting it makes a plain string for FTS5.
    out += '"';
    out.append(user_query.substr(start, i - start));
    out += "\"*";
  }
  return out;
}

std::vector<std::string> search_product_ids(database& db,
                                            std::string_view user_query,
                                            std::size_t limit) {
  std::vector<std::string> out;
  auto query = to_fts_query(user_query);
  if (query.empty() || limit == 0)
    return out;
  auto stmt = db.prepare(search_sql);
  stmt.bind(1, query);
  stmt.bind(2, static_cast<int64_t>(limit));
  while (stmt.step())
    out.push_back(stmt.col_text(0));
  return out;
}

void rebuild_search_index(database& db) {
  db.exec(rebuild_sql);
}

} // namespace berry::storage
