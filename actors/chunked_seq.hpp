#pragma once

// A sequence of shared, immutable elements ordered by a string key, cut into
// chunks that copies share. A change copies only the chunk it touches plus
// the table of chunk pointers, so a catalog of a million products makes a
// new snapshot for one changed product in microseconds. Light: no CAF.

#include <algorithm>
#include <cstddef>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace berry {

/// Elements per chunk by default. A change copies one chunk and the table
/// of chunk pointers: 1024 balances the two at a million elements.
inline constexpr size_t chunk_elements = 1024;

/// An immutable sequence of `std::shared_ptr<const T>` ordered by
/// `KeyOf{}(const T&)` (a `const std::string&`), with find by key and
/// iteration in key order. Copies share their chunks; chunked_seq_editor
/// makes new sequences.
template <class T, class KeyOf>
class chunked_seq {
public:
  using ptr = std::shared_ptr<const T>;
  using chunk = std::vector<ptr>;
  using chunk_ptr = std::shared_ptr<const chunk>;

  /// Walks the elements in key order; yields `const ptr&`.
  class const_iterator {
  public:
    using value_type = ptr;
    using reference = const ptr&;
    using difference_type = std::ptrdiff_t;
    using iterator_category = std::forward_iterator_tag;
    using pointer = const ptr*;

    const_iterator() = default;
    const_iterator(const std::vector<chunk_ptr>* t, size_t c, size_t e)
        : table_(t), chunk_(c), elem_(e) {}
    reference operator*() const { return (*(*table_)[chunk_])[elem_]; }
    pointer operator->() const { return &**this; }
    const_iterator& operator++() {
      if (++elem_ == (*table_)[chunk_]->size()) {
        ++chunk_;
        elem_ = 0;
      }
      return *this;
    }
    bool operator==(const const_iterator& o) const {
      return chunk_ == o.chunk_ && elem_ == o.elem_;
    }
    bool operator!=(const const_iterator& o) const { return !(*this == o); }

  private:
    const std::vector<chunk_ptr>* table_ = nullptr;
    size_t chunk_ = 0;
    size_t elem_ = 0;
  };

  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  const_iterator begin() const { return {&chunks_, 0, 0}; }
  const_iterator end() const { return {&chunks_, chunks_.size(), 0}; }
  /// The chunks in key order, none empty; the same objects as in the
  /// sequences this one was made from where nothing changed in them.
  const std::vector<chunk_ptr>& chunks() const { return chunks_; }

  /// The element with key `key`, or an empty pointer.
  const ptr& find(const std::string& key) const {
    return find_in(chunks_, key);
  }

  /// A sequence of `sorted` (ordered by key, no key twice), in chunks of
  /// `per_chunk` elements.
  static chunked_seq from_sorted(const std::vector<ptr>& sorted,
                                 size_t per_chunk = chunk_elements) {
    chunked_seq out;
    for (size_t i = 0; i < sorted.size(); i += per_chunk) {
      auto n = std::min(per_chunk, sorted.size() - i);
      out.chunks_.push_back(std::make_shared<const chunk>(
          sorted.begin() + i, sorted.begin() + i + n));
    }
    out.size_ = sorted.size();
    return out;
  }

  /// find() over a table of chunks.
  template <class Table>
  static const ptr& find_in(const Table& chunks, const std::string& key) {
    static const ptr none;
    auto c = chunk_of(chunks, key);
    if (c == chunks.size())
      return none;
    auto& ch = *chunks[c];
    auto i = lower(ch, key);
    return i != ch.end() && KeyOf{}(**i) == key ? *i : none;
  }

  /// Where `key` is or would go: the last chunk whose first key is not
  /// after it (0 when it precedes all); chunks.size() when there are none.
  template <class Table>
  static size_t chunk_of(const Table& chunks, const std::string& key) {
    if (chunks.empty())
      return 0;
    auto i = std::upper_bound(
        chunks.begin() + 1, chunks.end(), key,
        [](const std::string& k, const auto& c) { return k < first(*c); });
    return static_cast<size_t>(i - chunks.begin()) - 1;
  }
  /// The first element of `c` not ordered before `key`.
  static typename chunk::const_iterator lower(const chunk& c,
                                              const std::string& key) {
    return std::lower_bound(
        c.begin(), c.end(), key,
        [](const ptr& p, const std::string& k) { return KeyOf{}(*p) < k; });
  }
  static const std::string& first(const chunk& c) {
    return KeyOf{}(*c.front());
  }

  /// Calls `changed(p)` for every element of `after` that is not the very
  /// same object under its key in `before` (new ones included), and
  /// `removed(p)` for every element of `before` whose key `after` lacks, in
  /// key order. Chunks both share are skipped whole, so the walk costs the
  /// chunks that differ plus one look at each chunk pointer.
  template <class Changed, class Removed>
  static void diff(const chunked_seq& before, const chunked_seq& after,
                   Changed changed, Removed removed) {
    const auto& a = before.chunks_;
    const auto& b = after.chunks_;
    size_t ac = 0, ae = 0, bc = 0, be = 0;
    auto step = [](const std::vector<chunk_ptr>& t, size_t& c, size_t& e) {
      if (++e == t[c]->size()) {
        ++c;
        e = 0;
      }
    };
    while (ac < a.size() && bc < b.size()) {
      if (ae == 0 && be == 0 && a[ac] == b[bc]) {
        ++ac;
        ++bc;
        continue;
      }
      const ptr& x = (*a[ac])[ae];
      const ptr& y = (*b[bc])[be];
      if (x == y) { // the same element: no need to compare keys
        step(a, ac, ae);
        step(b, bc, be);
        continue;
      }
      const auto& kx = KeyOf{}(*x);
      const auto& ky = KeyOf{}(*y);
      if (kx == ky) {
        changed(y);
        step(a, ac, ae);
        step(b, bc, be);
      } else if (kx < ky) {
        removed(x);
        step(a, ac, ae);
      } else {
        changed(y);
        step(b, bc, be);
      }
    }
    for (; ac < a.size(); step(a, ac, ae))
      removed((*a[ac])[ae]);
    for (; bc < b.size(); step(b, bc, be))
      changed((*b[bc])[be]);
  }

private:
  template <class, class, size_t>
  friend class chunked_seq_editor;
  std::vector<chunk_ptr> chunks_;
  size_t size_ = 0;
};

/// Changes a chunked_seq in place until it hands out a copy (`publish`);
/// after that, a change copies the chunk it touches first. Chunks grow to
/// `Max` elements, then split in two.
template <class T, class KeyOf, size_t Max = chunk_elements>
class chunked_seq_editor {
public:
  using seq = chunked_seq<T, KeyOf>;
  using ptr = typename seq::ptr;
  using chunk = typename seq::chunk;

  /// Starts from `from` (shared, not copied).
  explicit chunked_seq_editor(const seq& from = {})
      : size_(from.size_), owned_(from.chunks_.size(), false) {
    for (auto& c : from.chunks_)
      chunks_.push_back(std::const_pointer_cast<chunk>(c));
  }

  size_t size() const { return size_; }

  /// The element with key `key`, or an empty pointer.
  const ptr& find(const std::string& key) const {
    static const ptr none;
    return after_last(key) ? none : seq::find_in(chunks_, key);
  }

  /// Puts `p` in place of the element with its key, or inserts it.
  void put(ptr p) {
    const auto& key = KeyOf{}(*p);
    if (after_last(key)) {
      // Appended (a catalog loads in key order): no search.
      auto& ch = own(chunks_.size() - 1);
      ch.push_back(std::move(p));
      ++size_;
      if (ch.size() > Max)
        split(chunks_.size() - 1, ch.size() - 1);
      return;
    }
    if (chunks_.empty()) {
      chunks_.push_back(std::make_shared<chunk>());
      owned_.push_back(true);
    }
    auto c = seq::chunk_of(chunks_, key);
    auto& ch = own(c);
    auto i = seq::lower(ch, key);
    if (i != ch.end() && KeyOf{}(**i) == key) {
      ch[static_cast<size_t>(i - ch.begin())] = std::move(p);
      return;
    }
    bool at_end = i == ch.end() && c + 1 == chunks_.size();
    ch.insert(ch.begin() + (i - ch.begin()), std::move(p));
    ++size_;
    if (ch.size() > Max)
      // Appending (new ids come last) starts a new chunk, so a catalog
      // grown one product at a time keeps full chunks.
      split(c, at_end ? ch.size() - 1 : ch.size() / 2);
  }

  /// Removes the element with key `key`, if there is one.
  void erase(const std::string& key) {
    auto c = seq::chunk_of(chunks_, key);
    if (c == chunks_.size() || !find(key))
      return;
    auto& ch = own(c);
    ch.erase(seq::lower(ch, key));
    --size_;
    if (ch.empty()) {
      chunks_.erase(chunks_.begin() + c);
      owned_.erase(owned_.begin() + c);
    }
  }

  /// A copy of the sequence as it is; later changes do not reach it.
  seq publish() {
    seq out;
    out.chunks_.assign(chunks_.begin(), chunks_.end());
    out.size_ = size_;
    owned_.assign(owned_.size(), false);
    return out;
  }

private:
  /// True when `key` comes after every element (there is one).
  bool after_last(const std::string& key) const {
    return !chunks_.empty() && !chunks_.back()->empty() &&
           KeyOf{}(*chunks_.back()->back()) < key;
  }
  chunk& own(size_t c) {
    if (!owned_[c]) {
      chunks_[c] = std::make_shared<chunk>(*chunks_[c]);
      owned_[c] = true;
    }
    return *chunks_[c];
  }
  void split(size_t c, size_t at) {
    auto& ch = *chunks_[c];
    auto tail = std::make_shared<chunk>(ch.begin() + at, ch.end());
    ch.resize(at);
    chunks_.insert(chunks_.begin() + c + 1, std::move(tail));
    owned_.insert(owned_.begin() + c + 1, true);
  }

  std::vector<std::shared_ptr<chunk>> chunks_;
  size_t size_ = 0;
  /// Chunks made by this editor since the last publish: changed in place.
  std::vector<bool> owned_;
};

} // namespace berry
