#include "storage/fast_words.hpp"

#include <vector>

#include "storage/russian_words.hpp"

namespace berry::storage {

namespace {

/// A token as unicode61 reported it.
struct cut {
  std::string text;
  int start = 0;
  int end = 0;
};

std::vector<cut> cut_with(const fts5_tokenizer& base, Fts5Tokenizer* instance,
                          const std::string& text) {
  std::vector<cut> out;
  auto on_token = [](void* ctx, int, const char* token, int size, int start,
                     int end) {
    static_cast<std::vector<cut>*>(ctx)->push_back(
        {std::string{token, static_cast<std::size_t>(size)}, start, end});
    return SQLITE_OK;
  };
  base.xTokenize(instance, &out, FTS5_TOKENIZE_DOCUMENT, text.data(),
                 static_cast<int>(text.size()), on_token);
  return out;
}

std::string utf8(uint32_t c) {
  if (c < 0x80)
    return std::string(1, static_cast<char>(c));
  if (c < 0x800)
    return {static_cast<char>(0xC0 | (c >> 6)),
            static_cast<char>(0x80 | (c & 0x3F))};
  return {static_cast<char>(0xE0 | (c >> 12)),
          static_cast<char>(0x80 | ((c >> 6) & 0x3F)),
          static_cast<char>(0x80 | (c & 0x3F))};
}

} // namespace

fast_words::fast_words(const fts5_tokenizer& base, Fts5Tokenizer* instance) {
  for (uint32_t c = 0; c < table_size; ++c) {
    auto ch = utf8(c);
    auto n = static_cast<int>(ch.size());
    auto found = cut_with(base, instance, "q" + ch + "z");
    auto& e = table_[c];
    if (found.size() == 2 && found[0].text == "q" && found[0].start == 0 &&
        found[0].end == 1 && found[1].text == "z" && found[1].start == 1 + n &&
        found[1].end == 2 + n) {
      e.what = kind::separator;
      continue;
    }
    if (found.size() != 1 || found[0].start != 0 || found[0].end != 2 + n)
      continue; // not known
    const auto& t = found[0].text;
    if (t.size() < 3 || t.size() > 2 + e.folded.size() || t.front() != 'q' ||
        t.back() != 'z')
      continue; // vanished, or more than a character's worth
    auto folded = fold_word(t.substr(1, t.size() - 2));
    e.what = kind::letter;
    e.size = static_cast<uint8_t>(folded.size());
    folded.copy(e.folded.data(), folded.size());
  }
}

bool fast_words::known(std::string_view text) const {
  for (std::size_t i = 0, len = 0; i < text.size(); i += len)
    if (table_[code_at(text, i, len)].what == kind::unknown)
      return false;
  return true;
}

} // namespace berry::storage
