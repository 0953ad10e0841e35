#include "storage/fast_words.hpp"

#include <catch2/catch.hpp>
#include <random>
#include <tuple>
#include <vector>

#include "storage/database.hpp"
#include "storage/russian_words.hpp"

using namespace berry::storage;

namespace {

using word = std::tuple<std::string, std::size_t, std::size_t>;

/// FTS5's unicode61 with remove_diacritics 2, as products_fts uses it.
struct unicode61 {
  database db = database::open(":memory:");
  fts5_tokenizer api{};
  Fts5Tokenizer* instance = nullptr;

  unicode61() {
    fts5_api* fts = nullptr;
    sqlite3_stmt* stmt = nullptr;
    REQUIRE(sqlite3_prepare_v2(db.handle(), "SELECT fts5(?1)", -1, &stmt,
                               nullptr) == SQLITE_OK);
    sqlite3_bind_pointer(stmt, 1, &fts, "fts5_api_ptr", nullptr);
    sqlite3_step(stmt);
    sqlite3_finalize(stmt);
    REQUIRE(fts);
    void* user = nullptr;
    const char* args[] = {"remove_diacritics", "2"};
    REQUIRE(fts->xFindTokenizer(fts, "unicode61", &user, &api) == SQLITE_OK);
    REQUIRE(api.xCreate(user, args, 2, &instance) == SQLITE_OK);
  }
  ~unicode61() { api.xDelete(instance); }

  /// The words of `text` as unicode61 cuts them, each then folded.
  std::vector<word> cut(const std::string& text) {
    std::vector<word> out;
    auto on = [](void* ctx, int, const char* t, int n, int start, int end) {
      static_cast<std::vector<word>*>(ctx)->emplace_back(
          fold_word({t, static_cast<std::size_t>(n)}), start, end);
      return SQLITE_OK;
    };
    api.xTokenize(instance, &out, FTS5_TOKENIZE_DOCUMENT, text.data(),
                  static_cast<int>(text.size()), on);
    return out;
  }
};

std::string utf8(uint32_t c) {
  std::string out;
  if (c < 0x80)
    return out += static_cast<char>(c), out;
  if (c < 0x800)
    return out + static_cast<char>(0xC0 | (c >> 6)) +
           static_cast<char>(0x80 | (c & 0x3F));
  return out + static_cast<char>(0xE0 | (c >> 12)) +
         static_cast<char>(0x80 | ((c >> 6) & 0x3F)) +
         static_cast<char>(0x80 | (c & 0x3F));
}

/// fast_words' words of `text` into `out`; false when it sends it the slow
/// way.
bool fast_cut(const fast_words& fast, const std::string& text,
              std::vector<word>& out) {
  int rc = 0;
  return fast.split(
      text,
      [&](const std::string& w, std::size_t start, std::size_t end) {
        out.emplace_back(w, start, end);
        return 0;
      },
      rc);
}

} // namespace

TEST_CASE("every character the table knows is cut and folded as unicode61 "
          "does, in any word") {
  unicode61 base;
  fast_words fast{base.api, base.instance};
  std::mt19937 random{12};
  // Mostly letters and punctuation of product texts, some of anything.
  std::uniform_int_distribution<uint32_t> any{1, fast_words::table_size - 1};
  std::uniform_int_distribution<uint32_t> cyrillic{0x400, 0x4FF}, ascii{1, 127};
  std::uniform_int_distribution<int> pick{0, 2}, length{1, 14};
  int known = 0;
  for (int i = 0; i < 20000; ++i) {
    std::string text;
    for (int n = length(random); n > 0; --n) {
      auto which = pick(random);
      text += utf8(which == 0   ? any(random)
                   : which == 1 ? cyrillic(random)
                                : ascii(random));
    }
    std::vector<word> got;
    if (!fast_cut(fast, text, got))
      continue;
    ++known;
    INFO(text);
    CHECK(got == base.cut(text));
  }
  CHECK(known > 2000); // the comparison ran, not only the slow way
  for (uint32_t c = 1; c < fast_words::table_size; ++c)
    if (fast.of(c).what != fast_words::kind::unknown) {
      auto text = "Ёж" + utf8(c) + "x" + utf8(c);
      std::vector<word> got;
      REQUIRE(fast_cut(fast, text, got));
      INFO(c);
      CHECK(got == base.cut(text));
    }
}

TEST_CASE("the words of product texts are known to the table") {
  unicode61 base;
  fast_words fast{base.api, base.instance};
  for (std::string text : {"Платье летнее ЁЛКА, р. XXL", "Чайник №5 – 1,7 л",
                           "t −5…+40 °C", "Café «Ёлочка»: 100% хлопок"}) {
    std::vector<word> got;
    REQUIRE(fast_cut(fast, text, got));
    CHECK(got == base.cut(text));
  }
  std::vector<word> got;
  CHECK(fast_cut(fast, "Платье", got));
  CHECK(got == std::vector<word>{{"платье", 0, 12}});
}

TEST_CASE("a text with a character beyond the table goes the slow way") {
  unicode61 base;
  fast_words fast{base.api, base.instance};
  for (std::string text : {"Платье 😀", "日本の茶", "Ёлка \xD0", "a\xC0\x80"}) {
    std::vector<word> got;
    CHECK_FALSE(fast_cut(fast, text, got));
    CHECK(got.empty());
  }
}
