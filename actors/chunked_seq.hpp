#pragma once

// A sequence of shared, immutable elements ordered by a string key, kept in
// a tree of small nodes that copies share (actors/chunked_seq_tree.hpp). A
// change copies only the leaf it touches and the branches above it, so a
// catalog of a million products makes a new snapshot for one changed
// product in microseconds, at the same cost as a catalog of ten thousand.
// Light: no CAF.

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "actors/chunked_seq_tree.hpp"

namespace berry {

/// An immutable sequence of `std::shared_ptr<const T>` ordered by
/// `KeyOf{}(const T&)` (a `const std::string&`), with find by key and
/// iteration in key order. Copies share their nodes; chunked_seq_editor
/// makes new sequences.
template <class T, class KeyOf>
class chunked_seq {
public:
  using ptr = std::shared_ptr<const T>;
  using leaf = seq_detail::leaf<T>;
  using branch = seq_detail::branch<T>;
  using node_ptr = std::shared_ptr<seq_detail::node_base>;
  using chunk_ptr = std::shared_ptr<const leaf>;

  /// Walks the elements in key order; yields `const ptr&`.
  class const_iterator {
  public:
    using value_type = ptr;
    using reference = const ptr&;
    using difference_type = std::ptrdiff_t;
    using iterator_category = std::forward_iterator_tag;
    using pointer = const ptr*;

    const_iterator() = default;
    const_iterator(const seq_detail::node_base* root, int height)
        : at_(root, height) {}
    reference operator*() const { return at_.element(); }
    pointer operator->() const { return &at_.element(); }
    const_iterator& operator++() {
      at_.next();
      return *this;
    }
    bool operator==(const const_iterator& o) const {
      return at_.same_place(o.at_);
    }
    bool operator!=(const const_iterator& o) const { return !(*this == o); }

  private:
    friend class chunked_seq;
    seq_detail::tree_cursor<T> at_;
  };

  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  const_iterator begin() const { return {root_.get(), height_}; }
  const_iterator end() const { return {}; }

  /// The leaves in key order, none empty: the same objects as in the
  /// sequences this one was made from where nothing changed in them. Made
  /// on each call (for tests and tools).
  std::vector<chunk_ptr> chunks() const {
    std::vector<chunk_ptr> out;
    if (root_)
      collect(root_, height_, out);
    return out;
  }

  /// The element with key `key`, or an empty pointer.
  const ptr& find(const std::string& key) const {
    return find_in(root_.get(), height_, key);
  }

  /// A sequence of `sorted` (ordered by key, no key twice), in leaves of
  /// `per_leaf` elements under branches of `fan` children.
  static chunked_seq from_sorted(const std::vector<ptr>& sorted,
                                 size_t per_leaf = chunk_elements,
                                 size_t fan = branch_fanout) {
    per_leaf = std::clamp<size_t>(per_leaf, 1, chunk_elements);
    fan = std::clamp<size_t>(fan, 2, branch_fanout);
    std::vector<node_ptr> level;
    for (size_t i = 0; i < sorted.size(); i += per_leaf) {
      auto l = std::make_shared<leaf>();
      for (; l->n < per_leaf && i + l->n < sorted.size(); ++l->n)
        l->slots[l->n] = make_item(sorted[i + l->n]);
      level.push_back(std::move(l));
    }
    chunked_seq out;
    for (; level.size() > 1; ++out.height_) {
      if (out.height_ + 1 >= seq_detail::max_levels)
        throw std::length_error("chunked_seq: too deep");
      std::vector<node_ptr> up;
      for (size_t i = 0; i < level.size(); i += fan) {
        auto b = std::make_shared<branch>();
        for (; b->n < fan && i + b->n < level.size(); ++b->n)
          b->slots[b->n] = make_kid(std::move(level[i + b->n]), out.height_);
        up.push_back(std::move(b));
      }
      level.swap(up);
    }
    if (!level.empty())
      out.root_ = std::move(level.front());
    out.size_ = sorted.size();
    return out;
  }

  /// Calls `changed(p)` for every element of `after` that is not the very
  /// same object under its key in `before` (new ones included), and
  /// `removed(p)` for every element of `before` whose key `after` lacks, in
  /// key order. Nodes both share are skipped whole, so the walk costs the
  /// nodes that differ.
  template <class Changed, class Removed>
  static void diff(const chunked_seq& before, const chunked_seq& after,
                   Changed changed, Removed removed) {
    auto a = before.begin().at_;
    auto b = after.begin().at_;
    while (!a.at_end() && !b.at_end()) {
      if (a.skip_shared(b))
        continue;
      const ptr& x = a.element();
      const ptr& y = b.element();
      if (x == y) { // the same element: no need to compare keys
        a.next();
        b.next();
        continue;
      }
      const auto& kx = KeyOf{}(*x);
      const auto& ky = KeyOf{}(*y);
      if (kx == ky) {
        changed(y);
        a.next();
        b.next();
      } else if (kx < ky) {
        removed(x);
        a.next();
      } else {
        changed(y);
        b.next();
      }
    }
    for (; !a.at_end(); a.next())
      removed(a.element());
    for (; !b.at_end(); b.next())
      changed(b.element());
  }

private:
  template <class, class, size_t, size_t>
  friend class chunked_seq_editor;

  static const leaf& as_leaf(const seq_detail::node_base* n) {
    return *static_cast<const leaf*>(n);
  }
  static const branch& as_branch(const seq_detail::node_base* n) {
    return *static_cast<const branch*>(n);
  }
  static seq_detail::item<T> make_item(ptr p) {
    auto key = seq_detail::key_prefix(KeyOf{}(*p));
    return {key, std::move(p)};
  }
  /// Node `n` at level `h` as a child, with its first element.
  static seq_detail::kid<T> make_kid(node_ptr n, int h) {
    auto& first = h == 0 ? *as_leaf(n.get()).slots[0].value
                         : *as_branch(n.get()).slots[0].first;
    return {seq_detail::key_prefix(KeyOf{}(first)), &first, std::move(n)};
  }
  /// How the element `x` with key prefix `xp` is ordered against `key`
  /// with prefix `kp`: below 0 before it, 0 the same key, above 0 after.
  static int order(uint64_t xp, const T& x, uint64_t kp,
                   const std::string& key) {
    return xp != kp ? (xp < kp ? -1 : 1) : KeyOf{}(x).compare(key);
  }
  /// The child of `b` whose keys take in `key`: the last whose first key is
  /// not after it (0 when it precedes all).
  static uint32_t kid_for(const branch& b, const std::string& key) {
    auto kp = seq_detail::key_prefix(key);
    auto i = std::partition_point(b.slots + 1, b.slots + b.n, [&](auto& k) {
      return order(k.key, *k.first, kp, key) <= 0;
    });
    return static_cast<uint32_t>(i - b.slots) - 1;
  }
  /// The first index of `l` whose element is not ordered before `key`.
  static uint32_t lower(const leaf& l, const std::string& key) {
    auto kp = seq_detail::key_prefix(key);
    auto i = std::partition_point(l.slots, l.slots + l.n, [&](auto& x) {
      return order(x.key, *x.value, kp, key) < 0;
    });
    return static_cast<uint32_t>(i - l.slots);
  }
  static const ptr& find_in(const seq_detail::node_base* n, int height,
                            const std::string& key) {
    static const ptr none;
    if (!n)
      return none;
    for (int h = height; h > 0; --h) {
      auto& b = as_branch(n);
      n = b.slots[kid_for(b, key)].node.get();
    }
    auto& l = as_leaf(n);
    auto i = lower(l, key);
    return i < l.n && KeyOf{}(*l.slots[i].value) == key ? l.slots[i].value
                                                        : none;
  }
  static void collect(const node_ptr& n, int h, std::vector<chunk_ptr>& out) {
    if (h == 0) {
      out.push_back(std::static_pointer_cast<const leaf>(n));
      return;
    }
    for (uint32_t k = 0; k < n->n; ++k)
      collect(as_branch(n.get()).slots[k].node, h - 1, out);
  }

  node_ptr root_;
  /// Levels above the leaves.
  int height_ = 0;
  size_t size_ = 0;
};

} // namespace berry

// The editor comes with the sequence.
#include "actors/chunked_seq_editor.hpp"
