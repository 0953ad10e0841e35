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

// Edits (insert, delete, replace, swap of neighbours) between a and b, or
// more than `limit` (then any larger number) once every way is past it.
// Three rows of a small buffer: no allocation for words of up to 63 letters.
std::size_t distance(const std::u32string& a, const std::u32string& b,
                     std::size_t limit) {
  constexpr std::size_t small = 64;
  if (a.size() >= small || b.size() >= small)
    return limit + 1;
  std::size_t rows[3][small];
  auto* before = rows[0]; // row i - 2
  auto* last = rows[1];   // row i - 1
  auto* row = rows[2];    // row i
  for (std::size_t j = 0; j <= b.size(); ++j)
    last[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    row[0] = i;
    std::size_t least = row[0];
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      row[j] = std::min({last[j] + 1, row[j - 1] + 1, last[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        row[j] = std::min(row[j], before[j - 2] + 1);
      least = std::min(least, row[j]);
    }
    if (least > limit)
      return limit + 1;
    auto* spare = before;
    before = last;
    last = row;
    row = spare;
  }
  return last[b.size()];
}

/// An indexed stem, its letters and the number of products that have it.
struct vocabulary_term {
  std::string text;
  std::u32string letters;
  int64_t docs = 0;
};

/// The indexed stems, read from the database once and kept per reading
/// thread until the full-text index changes: on SQLite its structure
/// record (FTS5 rewrites it on every change to the index; a sale does not
/// touch it) is the key. On PostgreSQL ts_stat reads every product's
/// tsvector each time: fine for a catalog of thousands.
const std::vector<vocabulary_term>& vocabulary_of(database& db) {
  struct cached {
    const database* db = nullptr;
    std::string key;
    std::vector<vocabulary_term> terms;
  };
  thread_local cached cache;
  std::string key;
  if (!db.is_postgres()) {
    auto k = db.prepare("SELECT hex(block) FROM products_fts_data"
                        " WHERE id = 10");
    if (k.step())
      key = k.col_text(0);
    if (cache.db == &db && !key.empty() && cache.key == key)
      return cache.terms;
  }
  cache = {&db, key, {}};
  auto stmt = db.prepare(
      db.is_postgres()
          ? "SELECT word, ndoc FROM ts_stat('SELECT search FROM products')"
          : "SELECT term, doc FROM products_fts_terms");
  while (stmt.step()) {
    auto text = stmt.col_text(0);
    auto letters = code_points(text);
    cache.terms.push_back(
        {std::move(text), std::move(letters), stmt.col_int(1)});
  }
  return cache.terms;
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
  for (auto& t : vocabulary_of(db)) {
    auto gap = t.letters.size() > wanted.size()
                   ? t.letters.size() - wanted.size()
                   : wanted.size() - t.letters.size();
    if (gap > allowed)
      continue;
    auto edits = distance(wanted, t.letters, allowed);
    if (edits == 0 || edits > allowed)
      continue;
    bool same_length = t.letters.size() == wanted.size();
    if (edits < best_edits ||
        (edits == best_edits &&
         std::make_pair(same_length, t.docs) >
             std::make_pair(best_same_length, best_docs))) {
      best = t.text;
      best_edits = edits;
      best_same_length = same_length;
      best_docs = t.docs;
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
    if (!any_product_matches(db, word)) {
      word = closest_word(db, word);
      if (word.empty())
        return {};
      changed = true;
    }
    out += (out.empty() ? "" : " ") + word;
  }
  if (!changed || !any_product_matches(db, out))
    return {};
  return out;
}

} // namespace berry::storage
