#pragma once

// How the demo's titles and descriptions are written: patterns name word
// tables in braces, and `{color:2}` takes form 2 ("бежевое") of one colour.
// A table named twice for the same product, in its title and in its
// description, gives the same word, so a dress "из льна" is described as
// linen.

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "examples/demo/demo_rng.hpp"

namespace berry::demo {

/// The entries one product has drawn, by table name.
using choices = std::map<std::string, size_t>;

/// The word tables, parsed once: table name -> entries -> forms.
class lexicon {
public:
  /// An entry's grammatical forms (for colours: masculine, feminine,
  /// neuter, plural); most entries have one.
  using entry = std::vector<std::string>;

  /// From words.json (tables grouped in sections) and sentences.json
  /// (tables); an entry's forms are separated by '|'.
  lexicon(std::string_view words_json, std::string_view sentences_json);

  /// The table `name`; throws std::logic_error if there is none.
  const std::vector<entry>& table(const std::string& name) const;

  /// `pattern` with every {slot} replaced by its word, drawing an entry
  /// with `rng` for each table `chosen` has none of yet.
  std::string fill(const std::string& pattern, demo_rng& rng,
                   choices& chosen) const;

private:
  void add(const std::string& name, const std::vector<std::string>& items);
  std::string slot_word(const std::string& slot, demo_rng& rng,
                        choices& chosen) const;

  std::map<std::string, std::vector<entry>> tables_;
};

} // namespace berry::demo
