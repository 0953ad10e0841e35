#include "storage/search.hpp"

#include <cstdint>

#include "storage/russian_words.hpp"

namespace berry::storage {

namespace {

// Title hits weigh three times description hits: someone typing "платье"
// wants dresses before products whose description mentions one.
constexpr const char* search_sql =
    "SELECT p.id FROM products_fts"
    " JOIN products AS p ON p.rowid = products_fts.rowid"
    " WHERE products_fts MATCH ?1"
    " ORDER BY bm25(products_fts, 3.0, 1.0), p.id LIMIT ?2";

// Whether anything matches: the first match, no ranking of them all.
constexpr const char* any_match_sql =
    "SELECT 1 FROM products_fts WHERE products_fts MATCH ?1 LIMIT 1";

// PostgreSQL: the products' tsvector (migration 4, weights A for the title
// and B for the description) against stems given as prefixes.
constexpr const char* postgres_search_sql =
    "SELECT id FROM products WHERE search @@ to_tsquery('simple', ?1)"
    " ORDER BY ts_rank(search, to_tsquery('simple', ?1)) DESC, id LIMIT ?2";

constexpr const char* rebuild_sql =
    "INSERT INTO products_fts (products_fts) VALUES ('rebuild')";

// A tsquery lexeme: quoted, quotes and backslashes doubled.
std::string lexeme(const std::string& word) {
  std::string out = "'";
  for (char c : word) {
    if (c == '\'' || c == '\\')
      out += c;
    out += c;
  }
  return out + "'";
}

} // namespace

std::string to_tsquery_text(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& word : words) {
    auto stem = stem_word(word);
    if (stem.empty())
      stem = word;
    if (!out.empty())
      out += " & ";
    // As on SQLite: the word's Snowball stem (PostgreSQL's `russian` stores
    // the same stems), so that every form matches, or the word as typed as
    // the start of a stored one.
    out += '(' + lexeme(stem) + " | " + lexeme(word) + ":*";
    auto other = without_fleeting_vowel(stem);
    if (!other.empty())
      out += " | " + lexeme(other) + ":*";
    out += ')';
  }
  return out;
}

std::vector<std::string> query_words(database& db,
                                     std::string_view user_query) {
  return split_words(db, user_query, max_query_words);
}

std::string to_fts_query(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& word : words) {
    // A word never tokenizes to nothing (it came from the tokenizer), so an
    // explicit AND is safe; FTS5 has no implicit AND between groups.
    if (!out.empty())
      out += " AND ";
    std::string quoted = "\"";
    for (char c : word)
      quoted += c == '"' ? std::string{"\"\""} : std::string{c};
    quoted += '"';
    // The tokenizer stems the bare term and only folds the prefix term.
    out += '(' + quoted + " OR " + quoted + '*';
    auto other = without_fleeting_vowel(stem_word(word));
    if (!other.empty())
      out += " OR \"" + other + "\"*";
    out += ')';
  }
  return out;
}

bool any_product_matches(database& db, std::string_view user_query) {
  if (db.is_postgres())
    return !search_product_ids(db, user_query, 1).empty();
  auto query = to_fts_query(query_words(db, user_query));
  if (query.empty())
    return false;
  auto stmt = db.prepare(any_match_sql);
  stmt.bind(1, query);
  return stmt.step();
}

std::vector<std::string> search_product_ids(database& db,
                                            std::string_view user_query,
                                            std::size_t limit) {
  std::vector<std::string> out;
  auto words = query_words(db, user_query);
  auto query = db.is_postgres() ? to_tsquery_text(words) : to_fts_query(words);
  if (query.empty() || limit == 0)
    return out;
  auto stmt = db.prepare(db.is_postgres() ? postgres_search_sql : search_sql);
  stmt.bind(1, query);
  stmt.bind(2, static_cast<int64_t>(limit));
  while (stmt.step())
    out.push_back(stmt.col_text(0));
  return out;
}

void rebuild_search_index(database& db) {
  if (db.is_postgres())
    return; // a generated column: always in step with the row
  db.exec(rebuild_sql);
}

} // namespace berry::storage
