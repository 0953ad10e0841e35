#pragma once

// The words of a product text cut and folded as products_fts's tokenizer
// would (FTS5's unicode61 with remove_diacritics 2, then fold_word), for the
// characters below U+2400 (Latin, Cyrillic, punctuation such as «–» and «№»,
// the minus sign): a table per character instead of unicode61's searches
// through Unicode's. Texts with any other character go the slow way. Cutting
// words was about 40% of the full-text index's cost in `berry import`
// (bench/README.md, Import).
//
// The table is learned from unicode61 itself, one character at a time
// between two letters: a character that is cut there is a separator, one
// that joins them is a letter folded to what unicode61 made of it, and
// anything else (a mark that vanishes, a character that splits or merges
// differently) is not known. unicode61 folds each character on its own, so
// what holds for one holds in any word.

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include <sqlite3.h>

namespace berry::storage {

/// Cuts texts of known characters into folded words; see above.
class fast_words {
public:
  /// What one character is to the tokenizer.
  enum class kind : uint8_t { unknown, separator, letter };

  /// One character's kind and, for a letter, its folded bytes.
  struct entry {
    kind what = kind::unknown;
    uint8_t size = 0;
    std::array<char, 6> folded{};
  };

  /// Learns every character below U+2400 from `instance` of `base`
  /// (unicode61 created with the arguments the table stands for).
  fast_words(const fts5_tokenizer& base, Fts5Tokenizer* instance);

  /// Calls `on_word(folded, start, end)` for each word of `text` (start
  /// and end: its bytes in `text`) and returns true, or returns false having
  /// called nothing when `text` holds a character the table does not know
  /// (or is not UTF-8). A non-zero result of `on_word` stops the cut and is
  /// returned in `rc`.
  template <class F>
  bool split(std::string_view text, F&& on_word, int& rc) const {
    if (!known(text))
      return false;
    rc = 0;
    std::string word;
    std::size_t start = 0, i = 0;
    while (i < text.size() && rc == 0) {
      std::size_t len = 0;
      const auto& e = table_[code_at(text, i, len)];
      if (e.what == kind::letter) {
        if (word.empty())
          start = i;
        word.append(e.folded.data(), e.size);
      } else if (!word.empty()) {
        rc = on_word(word, start, i);
        word.clear();
      }
      i += len;
    }
    if (rc == 0 && !word.empty())
      rc = on_word(word, start, text.size());
    return true;
  }

  /// The entry of code point `c` (below table_size).
  const entry& of(uint32_t c) const { return table_[c]; }

  /// Characters the table covers: U+0000 to U+23FF.
  static constexpr uint32_t table_size = 0x2400;

private:
  /// The code point at `text[i]` of one to three bytes, its length in `len`;
  /// table_size when it is neither (or malformed). Inline: it runs for
  /// every byte of every text.
  static uint32_t code_at(std::string_view text, std::size_t i,
                          std::size_t& len) {
    auto b = static_cast<unsigned char>(text[i]);
    len = 1;
    if (b < 0x80)
      return b;
    auto next = [&](std::size_t k) -> uint32_t {
      if (i + k >= text.size())
        return 0x100; // no byte: never a continuation
      auto x = static_cast<unsigned char>(text[i + k]);
      return (x & 0xC0) == 0x80 ? (x & 0x3F) : 0x100;
    };
    uint32_t c = table_size, least = 0, b1 = next(1);
    if ((b & 0xE0) == 0xC0 && b1 < 0x100) {
      len = 2;
      c = (static_cast<uint32_t>(b & 0x1F) << 6) | b1;
      least = 0x80;
    } else if ((b & 0xF0) == 0xE0 && b1 < 0x100) {
      auto b2 = next(2);
      if (b2 < 0x100) {
        len = 3;
        c = (static_cast<uint32_t>(b & 0x0F) << 12) | (b1 << 6) | b2;
        least = 0x800;
      }
    }
    return c >= least && c < table_size ? c : table_size; // overlong: unknown
  }

  /// Whether every character of `text` is in the table and known.
  bool known(std::string_view text) const;

  std::array<entry, table_size + 1> table_{}; ///< the last: not known
};

} // namespace berry::storage
