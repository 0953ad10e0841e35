#include "storage/stem_cache.hpp"

#include <catch2/catch.hpp>

using berry::storage::stem_cache;

namespace {

/// A stand-in for Snowball that counts its calls: the stem is the word
/// without its last byte.
struct counting_stemmer {
  int calls = 0;
  void operator()(std::string_view word, std::string& out) {
    ++calls;
    out.assign(word.substr(0, word.size() - 1));
  }
};

} // namespace

TEST_CASE("a word seen again takes its stem from the cache") {
  stem_cache cache;
  counting_stemmer stem;
  CHECK(cache.get("платья", stem) == "плать\xD1");
  CHECK(cache.get("платья", stem) == "плать\xD1");
  CHECK(cache.get("юбка", stem) == "юбк\xD0");
  CHECK(cache.get("платья", stem) == "плать\xD1");
  CHECK(stem.calls == 2);
}

TEST_CASE("every word gets its own stem, however many share the slots") {
  stem_cache cache;
  counting_stemmer stem;
  const int words = 3 * stem_cache::slot_count;
  for (int round = 0; round < 2; ++round)
    for (int i = 0; i < words; ++i) {
      auto word = "w" + std::to_string(i) + "x";
      REQUIRE(cache.get(word, stem) == "w" + std::to_string(i));
    }
  CHECK(stem.calls > words);     // more words than slots: some stemmed again
  CHECK(stem.calls < 2 * words); // but not all of them
}

TEST_CASE("a word longer than a slot is stemmed each time, correctly") {
  stem_cache cache;
  counting_stemmer stem;
  std::string word(60, 'a');
  word += 'b';
  CHECK(cache.get(word, stem) == std::string(60, 'a'));
  CHECK(cache.get(word, stem) == std::string(60, 'a'));
  CHECK(stem.calls == 2);
  CHECK(cache.get("ab", stem) == "a");
}
