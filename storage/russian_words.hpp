#pragma once

// Russian word forms for full-text search: folding and stemming of single
// words, and the FTS5 tokenizer that applies them to products_fts.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "storage/database.hpp"

namespace berry::storage {

/// The name of the FTS5 tokenizer products_fts is created with.
inline constexpr const char* russian_tokenizer_name = "berry_russian";

/// Lower-cases ASCII and Cyrillic letters of UTF-8 `word` and folds «ё» to
/// «е»; every other byte is kept as it is.
std::string fold_word(std::string_view word);

/// fold_word into `out` (replacing what it held), reusing its memory.
void fold_word_into(std::string_view word, std::string& out);

/// The Snowball Russian stem of a folded word («платья» -> «плат»);
/// words in other scripts come back unchanged.
std::string stem_word(std::string_view folded);

/// Russian drops the vowel of a final «ок»/«ек» in the other forms of a
/// word (кроссовок -> кроссовки, платок -> платка), whose stems then end in
/// «к»: the stem of such a word without the vowel, or "".
std::string without_fleeting_vowel(const std::string& stem);

/// The words of `text` as FTS5's unicode61 tokenizer finds them (so exactly
/// what products_fts indexes, before stemming), folded; at most `most`.
std::vector<std::string> split_words(database& db, std::string_view text,
                                     std::size_t most);

/// Registers the tokenizer `berry_russian` on `db`: FTS5's unicode61 (with
/// remove_diacritics 2), then every token folded and stemmed. A prefix term
/// of a query ("плат"*) is folded only, so that it matches what it starts.
/// Every connection that reads or writes products_fts needs it
/// (database::open registers it).
void register_russian_tokenizer(database& db);

} // namespace berry::storage
