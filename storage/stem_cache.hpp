#pragma once

// The stems of the words a tokenizer saw last. A catalog repeats its words,
// and Snowball costs more than a lookup (a tenth of `berry import` was
// stemming); a hash map of strings then cost 7% of the import itself (its
// nodes scattered over the heap, emptied when full). This is a table of
// fixed slots, one per hash of a word: a lookup reads one slot, and a word
// that finds another in its slot is stemmed and takes the slot.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace berry::storage {

/// Direct-mapped cache of word -> stem; see above. Not thread-safe: one per
/// tokenizer instance.
class stem_cache {
public:
  /// The stem of `word`: from the cache, or `stem(word, out)` stored. The
  /// view lives until the next call.
  template <class Stem>
  std::string_view get(std::string_view word, Stem&& stem) {
    if (word.size() > slot::most) {
      long_stem_.clear();
      stem(word, long_stem_);
      return long_stem_;
    }
    auto& s = slots_[hash(word) & (slot_count - 1)];
    if (s.word_size != word.size() ||
        std::string_view{s.word, s.word_size} != word) {
      long_stem_.clear();
      stem(word, long_stem_);
      if (long_stem_.size() > slot::most)
        return long_stem_;
      s.word_size = static_cast<uint8_t>(word.size());
      word.copy(s.word, word.size());
      s.stem_size = static_cast<uint8_t>(long_stem_.size());
      long_stem_.copy(s.stem, long_stem_.size());
    }
    return {s.stem, s.stem_size};
  }

  /// Slots in the table: 8,192 of 96 bytes (768 KB).
  static constexpr std::size_t slot_count = 1 << 13;

private:
  /// One word and its stem, each at most `most` bytes (23 Cyrillic letters).
  struct slot {
    static constexpr std::size_t most = 47;
    uint8_t word_size = 0;
    char word[most]{};
    uint8_t stem_size = 0;
    char stem[most]{};
  };

  /// FNV-1a: short words, a few bytes each.
  static uint64_t hash(std::string_view word) {
    uint64_t h = 14695981039346656037ull;
    for (char c : word)
      h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ull;
    return h ^ (h >> 29);
  }

  std::vector<slot> slots_ = std::vector<slot>(slot_count);
  std::string long_stem_; ///< a stem not kept in a slot
};

} // namespace berry::storage
