#include "storage/russian_words.hpp"

#include <memory>
#include <new>

#include <libstemmer.h>
#include <sqlite3.h>

#include "storage/fast_words.hpp"
#include "storage/stem_cache.hpp"

namespace berry::storage {

namespace {

struct stemmer_deleter {
  void operator()(sb_stemmer* s) const { sb_stemmer_delete(s); }
};
using stemmer_ptr = std::unique_ptr<sb_stemmer, stemmer_deleter>;

stemmer_ptr new_russian_stemmer() {
  stemmer_ptr s{sb_stemmer_new("russian", "UTF_8")};
  if (!s)
    throw std::bad_alloc{};
  return s;
}

// One stemmer per tokenizer instance: an instance serves one connection, and
// a connection is used by one thread at a time.
struct russian_tokenizer {
  fts5_tokenizer base{};
  Fts5Tokenizer* base_instance = nullptr;
  stemmer_ptr stemmer = new_russian_stemmer();
  const fast_words* fast = nullptr; ///< when its arguments are the table's
  std::string word;
  stem_cache stems; ///< folded -> stem
};

// The stem of a folded word, from the cache or Snowball.
std::string_view stem_of(russian_tokenizer& self, std::string_view word) {
  return self.stems.get(word, [&](std::string_view w, std::string& out) {
    auto* s = self.stemmer.get();
    auto* stem =
        sb_stemmer_stem(s, reinterpret_cast<const sb_symbol*>(w.data()),
                        static_cast<int>(w.size()));
    auto n = stem ? sb_stemmer_length(s) : 0;
    if (n > 0)
      out.assign(reinterpret_cast<const char*>(stem),
                 static_cast<std::size_t>(n));
    else
      out.assign(w.data(), w.size());
  });
}

struct token_sink {
  russian_tokenizer* self;
  void* ctx;
  int (*emit)(void*, int, const char*, int, int, int);
  bool stem;
};

int on_token(void* ctx, int tflags, const char* token, int size, int start,
             int end) {
  auto* sink = static_cast<token_sink*>(ctx);
  auto& word = sink->self->word;
  fold_word_into({token, static_cast<std::size_t>(size)}, word);
  auto out = sink->stem ? stem_of(*sink->self, word) : std::string_view{word};
  return sink->emit(sink->ctx, tflags, out.data(), static_cast<int>(out.size()),
                    start, end);
}

int x_create(void* user, const char** args, int nargs, Fts5Tokenizer** out) {
  auto* api = static_cast<fts5_api*>(user);
  void* base_user = nullptr;
  std::unique_ptr<russian_tokenizer> self;
  try {
    self = std::make_unique<russian_tokenizer>();
  } catch (const std::bad_alloc&) {
    return SQLITE_NOMEM;
  }
  int rc = api->xFindTokenizer(api, "unicode61", &base_user, &self->base);
  if (rc != SQLITE_OK)
    return rc;
  static const char* default_args[] = {"remove_diacritics", "2"};
  if (nargs == 0) {
    args = default_args;
    nargs = 2;
  }
  rc = self->base.xCreate(base_user, args, nargs, &self->base_instance);
  if (rc != SQLITE_OK)
    return rc;
  if (nargs == 2 && std::string_view{args[0]} == default_args[0] &&
      std::string_view{args[1]} == default_args[1]) {
    static const fast_words learned{self->base, self->base_instance};
    self->fast = &learned;
  }
  *out = reinterpret_cast<Fts5Tokenizer*>(self.release());
  return SQLITE_OK;
}

void x_delete(Fts5Tokenizer* t) {
  auto* self = reinterpret_cast<russian_tokenizer*>(t);
  self->base.xDelete(self->base_instance);
  delete self;
}

int x_tokenize(Fts5Tokenizer* t, void* ctx, int flags, const char* text,
               int size, int (*emit)(void*, int, const char*, int, int, int)) {
  auto* self = reinterpret_cast<russian_tokenizer*>(t);
  token_sink sink{self, ctx, emit, (flags & FTS5_TOKENIZE_PREFIX) == 0};
  int rc = SQLITE_OK;
  auto on_word = [&](const std::string& word, std::size_t start,
                     std::size_t end) {
    auto out = sink.stem ? stem_of(*self, word) : std::string_view{word};
    return emit(ctx, 0, out.data(), static_cast<int>(out.size()),
                static_cast<int>(start), static_cast<int>(end));
  };
  if (self->fast &&
      self->fast->split({text, static_cast<std::size_t>(size)}, on_word, rc))
    return rc == SQLITE_DONE ? SQLITE_OK : rc; // as unicode61 does
  return self->base.xTokenize(self->base_instance, &sink, flags, text, size,
                              on_token);
}

fts5_api* fts5_of(sqlite3* db) {
  fts5_api* api = nullptr;
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &stmt, nullptr) !=
      SQLITE_OK)
    return nullptr;
  sqlite3_bind_pointer(stmt, 1, &api, "fts5_api_ptr", nullptr);
  sqlite3_step(stmt);
  sqlite3_finalize(stmt);
  return api;
}

} // namespace

std::string fold_word(std::string_view word) {
  std::string out;
  fold_word_into(word, out);
  return out;
}

void fold_word_into(std::string_view word, std::string& out) {
  out.assign(word.data(), word.size());
  for (std::size_t i = 0; i < out.size(); ++i) {
    auto c = static_cast<unsigned char>(out[i]);
    if (c >= 'A' && c <= 'Z') {
      out[i] = static_cast<char>(c + 32);
      continue;
    }
    if ((c != 0xD0 && c != 0xD1) || i + 1 == out.size())
      continue;
    auto d = static_cast<unsigned char>(out[i + 1]);
    if ((c == 0xD0 && d == 0x81) || (c == 0xD1 && d == 0x91)) { // Ё ё -> е
      out[i] = static_cast<char>(0xD0);
      out[i + 1] = static_cast<char>(0xB5);
    } else if (c == 0xD0 && d >= 0x90 && d <= 0x9F) { // А..П -> а..п
      out[i + 1] = static_cast<char>(d + 0x20);
    } else if (c == 0xD0 && d >= 0xA0 && d <= 0xAF) { // Р..Я -> р..я
      out[i] = static_cast<char>(0xD1);
      out[i + 1] = static_cast<char>(d - 0x20);
    }
    ++i;
  }
}

std::string stem_word(std::string_view folded) {
  thread_local stemmer_ptr stemmer = new_russian_stemmer();
  auto* stem = sb_stemmer_stem(
      stemmer.get(), reinterpret_cast<const sb_symbol*>(folded.data()),
      static_cast<int>(folded.size()));
  if (!stem || sb_stemmer_length(stemmer.get()) <= 0)
    return std::string{folded};
  return {reinterpret_cast<const char*>(stem),
          static_cast<std::size_t>(sb_stemmer_length(stemmer.get()))};
}

std::vector<std::string> split_words(database& db, std::string_view text,
                                     std::size_t most) {
  if (db.is_postgres()) {
    // The same words on either store: FTS5's tokenizer of a private
    // in-memory SQLite database cuts the text.
    thread_local database words_only = database::open(":memory:");
    return split_words(words_only, text, most);
  }
  std::vector<std::string> out;
  auto* api = fts5_of(db.handle());
  void* user = nullptr;
  fts5_tokenizer unicode61{};
  Fts5Tokenizer* instance = nullptr;
  const char* args[] = {"remove_diacritics", "2"};
  if (!api || api->xFindTokenizer(api, "unicode61", &user, &unicode61) ||
      unicode61.xCreate(user, args, 2, &instance))
    throw db_error(SQLITE_ERROR, "FTS5's unicode61 is not available");
  struct sink {
    std::vector<std::string>* out;
    std::size_t most;
  } to{&out, most};
  auto on_word = [](void* ctx, int, const char* token, int size, int, int) {
    auto* s = static_cast<sink*>(ctx);
    if (s->out->size() >= s->most)
      return SQLITE_DONE; // stops the tokenizer
    s->out->push_back(fold_word({token, static_cast<std::size_t>(size)}));
    return SQLITE_OK;
  };
  unicode61.xTokenize(instance, &to, FTS5_TOKENIZE_DOCUMENT, text.data(),
                      static_cast<int>(text.size()), on_word);
  unicode61.xDelete(instance);
  return out;
}

void register_russian_tokenizer(database& db) {
  auto* api = fts5_of(db.handle());
  if (!api)
    throw db_error(SQLITE_ERROR, "FTS5 is not available");
  static fts5_tokenizer tokenizer{x_create, x_delete, x_tokenize};
  int rc = api->xCreateTokenizer(api, russian_tokenizer_name, api, &tokenizer,
                                 nullptr);
  if (rc != SQLITE_OK)
    throw db_error(rc, "cannot register the russian tokenizer");
}

namespace {

bool ends_with(std::string_view s, std::string_view tail) {
  return s.size() >= tail.size() && s.substr(s.size() - tail.size()) == tail;
}

} // namespace

std::string without_fleeting_vowel(const std::string& stem) {
  static constexpr std::string_view k = "к";
  for (std::string_view vowel : {"о", "е"}) {
    auto tail = std::string{vowel} + std::string{k};
    if (!ends_with(stem, tail) || stem.size() < tail.size() + 4)
      continue;
    auto before = stem.substr(0, stem.size() - tail.size());
    for (std::string_view v :
         {"а", "е", "и", "о", "у", "ы", "э", "ю", "я", "й", "ь", "ъ"})
      if (ends_with(before, v))
        return {};
    return before + std::string{k};
  }
  return {};
}

} // namespace berry::storage
