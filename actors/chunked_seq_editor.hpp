#pragma once

// Makes new versions of a chunked_seq: changes its own copy of the nodes it
// touched in place until it publishes, then copies again on the next touch,
// so every published version stays as it was. Light: no CAF.

#include <algorithm>
#include <memory>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>

#include "actors/chunked_seq.hpp"

namespace berry {

/// Changes a chunked_seq in place until it hands out a copy (`publish`);
/// after that, a change copies the leaf and the branches it touches first.
/// Leaves grow to `Max` elements and branches to `Fan` children, then split
/// in two (or, when the new one comes last, start a new node).
template <class T, class KeyOf, size_t Max, size_t Fan>
class chunked_seq_editor {
  static_assert(Max >= 2 && Max <= chunk_elements, "leaf size");
  static_assert(Fan >= 2 && Fan <= branch_fanout, "branch size");

public:
  using seq = chunked_seq<T, KeyOf>;
  using ptr = typename seq::ptr;

  /// Starts from `from` (shared, not copied).
  explicit chunked_seq_editor(const seq& from = {})
      : root_(from.root_), height_(from.height_), size_(from.size_) {}
  /// A copy shares the nodes but none of the right to change them.
  chunked_seq_editor(const chunked_seq_editor& o)
      : root_(o.root_), height_(o.height_), size_(o.size_) {}
  chunked_seq_editor& operator=(const chunked_seq_editor& o) {
    root_ = o.root_;
    height_ = o.height_;
    size_ = o.size_;
    edit_ = seq_detail::next_edit();
    return *this;
  }
  chunked_seq_editor(chunked_seq_editor&&) = default;
  chunked_seq_editor& operator=(chunked_seq_editor&&) = default;

  size_t size() const { return size_; }

  /// The element with key `key`, or an empty pointer.
  const ptr& find(const std::string& key) const {
    return seq::find_in(root_.get(), height_, key);
  }

  /// Puts `p` in place of the element with its key, or inserts it.
  void put(ptr p) {
    const auto& key = KeyOf{}(*p); // p's element outlives the move
    if (!root_) {
      auto l = std::make_shared<leaf>();
      l->owner = edit_;
      l->slots[l->n++] = seq::make_item(std::move(p));
      root_ = std::move(l);
      height_ = 0;
      size_ = 1;
      return;
    }
    bool added = false;
    if (auto right = insert(root_, height_, p, key, added)) {
      if (height_ + 2 > seq_detail::max_levels)
        throw std::length_error("chunked_seq: too deep");
      auto b = std::make_shared<branch>();
      b->owner = edit_;
      b->slots[0] = seq::make_kid(std::move(root_), height_);
      b->slots[1] = seq::make_kid(std::move(right), height_);
      b->n = 2;
      root_ = std::move(b);
      ++height_;
    }
    size_ += added;
  }

  /// Removes the element with key `key`, if there is one.
  void erase(const std::string& key) {
    if (!find(key))
      return;
    remove(root_, height_, key);
    --size_;
    if (root_->n == 0) {
      root_.reset();
      height_ = 0;
    }
    for (; height_ > 0 && root_->n == 1; --height_) {
      auto only = static_cast<branch&>(*root_).slots[0].node;
      root_ = std::move(only);
    }
  }

  /// A copy of the sequence as it is; later changes do not reach it.
  seq publish() {
    seq out;
    out.root_ = root_;
    out.height_ = height_;
    out.size_ = size_;
    edit_ = seq_detail::next_edit();
    return out;
  }

private:
  using leaf = typename seq::leaf;
  using branch = typename seq::branch;
  using node_ptr = typename seq::node_ptr;

  /// The node in `slot`, copied there first unless this edit made it.
  template <class Node>
  Node& own(node_ptr& slot) {
    if (slot->owner != edit_) {
      auto copy = std::make_shared<Node>(static_cast<const Node&>(*slot));
      copy->owner = edit_;
      slot = std::move(copy);
    }
    return static_cast<Node&>(*slot);
  }

  /// Moves the slots [from, n) of `src` to a new node of its
  /// kind, returned.
  template <class Node>
  node_ptr split(Node& src, uint32_t from) {
    auto out = std::make_shared<Node>();
    out->owner = edit_;
    std::move(src.slots + from, src.slots + src.n, out->slots);
    out->n = src.n - from;
    src.n = from;
    return out;
  }

  /// Inserts `x` at `i` into the node in `slot` (which holds `limit` at
  /// most), splitting it first when full. Returns the node split off.
  template <class Node, class Slot>
  node_ptr add(Node& node, uint32_t i, Slot x, uint32_t limit) {
    node_ptr right;
    Node* into = &node;
    if (node.n == limit) {
      // Appending (new ids come last) starts a new node, so a catalog
      // grown one product at a time keeps full nodes.
      right = split(node, i == node.n ? node.n : node.n / 2);
      if (i > node.n || node.n == limit) {
        i -= node.n;
        into = static_cast<Node*>(right.get());
      }
    }
    auto* a = into->slots;
    std::move_backward(a + i, a + into->n, a + into->n + 1);
    a[i] = std::move(x);
    ++into->n;
    return right;
  }

  /// Puts `p` (key `key`) under the node in `slot` at level `h`. Returns the
  /// node split off to its right, if it split.
  node_ptr insert(node_ptr& slot, int h, ptr& p, const std::string& key,
                  bool& added) {
    if (h == 0) {
      auto& l = own<leaf>(slot);
      auto i = seq::lower(l, key);
      if (i < l.n && KeyOf{}(*l.slots[i].value) == key) {
        l.slots[i].value = std::move(p);
        return {};
      }
      added = true;
      return add(l, i, seq::make_item(std::move(p)), Max);
    }
    auto& b = own<branch>(slot);
    auto k = seq::kid_for(b, key);
    auto grown = insert(b.slots[k].node, h - 1, p, key, added);
    b.slots[k] = seq::make_kid(std::move(b.slots[k].node), h - 1);
    if (!grown)
      return {};
    return add(b, k + 1, seq::make_kid(std::move(grown), h - 1), Fan);
  }

  /// Removes `key` (present) under the node in `slot` at level `h`; a node
  /// left empty is dropped by its parent.
  void remove(node_ptr& slot, int h, const std::string& key) {
    if (h == 0) {
      auto& l = own<leaf>(slot);
      drop(l, seq::lower(l, key));
      return;
    }
    auto& b = own<branch>(slot);
    auto k = seq::kid_for(b, key);
    remove(b.slots[k].node, h - 1, key);
    if (b.slots[k].node->n == 0)
      drop(b, k);
    else
      b.slots[k] = seq::make_kid(std::move(b.slots[k].node), h - 1);
  }
  template <class Node>
  static void drop(Node& node, uint32_t i) {
    auto* a = node.slots;
    std::move(a + i + 1, a + node.n, a + i);
    a[--node.n] = {};
  }

  node_ptr root_;
  int height_ = 0;
  size_t size_ = 0;
  /// This edit: the nodes it made since the last publish carry it.
  uint64_t edit_ = seq_detail::next_edit();
};

} // namespace berry
