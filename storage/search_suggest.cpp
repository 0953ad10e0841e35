// storage::suggest_query: typo tolerance over the vocabulary of indexed stems
// (products_fts_terms on SQLite, ts_stat over the tsvectors on PostgreSQL).

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <utility>

#include "storage/russian_words.hpp"
#include "storage/search.hpp"

namespace berry::storage {

namespace {

// The code points of UTF-8 text; a stray byte counts as one.
std::u32string code_points(std::string_view s) {
  std::u32string out;
  for (std::size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    int extra = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC0 ? 1 : 0;
    char32_t cp = extra == 0 ? c : c & (0x3F >> extra);
    ++i;
    for (int k = 0; k < extra && i < s.size(); ++k, ++i)
      cp = (cp << 6) | (static_cast<unsigned char>(s[i]) & 0x3F);
    out.push_back(cp);
  }
  return out;
}

// Edits (insert, delete, replace, swap of neighbours) between a and b.
std::size_t distance(const std::u32string& a, const std::u32string& b) {
  std::vector<std::vector<std::size_t>> d(
      a.size() + 1, std::vector<std::size_t>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i)
    d[i][0] = i;
  for (std::size_t j = 0; j <= b.size(); ++j)
    d[0][j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i)
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] =
          std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  return d[a.size()][b.size()];
}

// How many edits a stem of `length` letters may be away: none for short
// stems, where almost any word is one letter from another.
std::size_t edits_allowed(std::size_t length) {
  return length < 4 ? 0 : length < 8 ? 1 : 2;
}

// The indexed stem nearest to the stem of `word`, with `word`'s own ending,
// or "". Among the nearest, one as long as the stem wins (a letter mistyped,
// like the unstressed «о» for «а», is the commonest slip: «плотье» is
// «платье», not «плотнье»), then the one in most products.
std::string closest_word(database& db, const std::string& word) {
  auto stem = stem_word(word);
  auto ending = word.compare(0, stem.size(), stem) == 0
                    ? word.substr(stem.size())
                    : std::string{};
  auto wanted = code_points(stem);
  auto allowed = edits_allowed(wanted.size());
  if (allowed == 0)
    return {};
  std::string best;
  std::size_t best_edits = allowed + 1;
  bool best_same_length = false;
  int64_t best_docs = 0;
  // Every indexed stem and the number of products that have it. On
  // PostgreSQL ts_stat reads every product's tsvector: fine for a catalog
  // of thousands, to be replaced by a table of terms at marketplace scale.
  auto stmt = db.prepare(
      db.is_postgres()
          ? "SELECT word, ndoc FROM ts_stat('SELECT search FROM products')"
          : "SELECT term, doc FROM products_fts_terms");
  while (stmt.step()) {
    auto term = stmt.col_text(0);
    auto got = code_points(term);
    auto gap = got.size() > wanted.size() ? got.size() - wanted.size()
                                          : wanted.size() - got.size();
    if (gap > allowed)
      continue;
    auto edits = distance(wanted, got);
    auto docs = stmt.col_int(1);
    if (edits == 0 || edits > allowed)
      continue;
    bool same_length = got.size() == wanted.size();
    if (edits < best_edits ||
        (edits == best_edits &&
         std::make_pair(same_length, docs) >
             std::make_pair(best_same_length, best_docs))) {
      best = term;
      best_edits = edits;
      best_same_length = same_length;
      best_docs = docs;
    }
  }
  return best.empty() ? best : best + ending;
}

} // namespace

std::string suggest_query(database& db, std::string_view user_query) {
  auto words = query_words(db, user_query);
  bool changed = false;
  std::string out;
  for (auto& word : words) {
    if (search_product_ids(db, word, 1).empty()) {
      word = closest_word(db, word);
      if (word.empty())
        return {};
      changed = true;
    }
    out += (out.empty() ? "" : " ") + word;
  }
  if (!changed || search_product_ids(db, out, 1).empty())
    return {};
  return out;
}

} // namespace berry::storage
