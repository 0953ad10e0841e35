#pragma once

// The nodes under chunked_seq: leaves of up to 32 elements under branches of
// up to 30 children, every leaf at the same depth (a B+ tree). Nodes are
// shared between versions; a change copies the leaf it touches and the
// branches above it, a few hundred bytes each, whatever the size. Light: no
// CAF.

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>

namespace berry {

/// Elements per leaf at most. A change copies one leaf and the branches
/// above it: small nodes keep that copy (and its allocation) cheap.
inline constexpr size_t chunk_elements = 32;
/// Children per branch at most (a branch stays under 1 KB, which malloc
/// serves from its per-thread cache).
inline constexpr size_t branch_fanout = 30;

template <class T, class KeyOf, size_t Max = chunk_elements,
          size_t Fan = branch_fanout>
class chunked_seq_editor;

namespace seq_detail {

/// What leaves and branches share.
struct node_base {
  /// The edit (an editor between two publishes) that made this node and
  /// may still change it in place; 0: no one may.
  uint64_t owner = 0;
  /// Elements (leaf) or children (branch) in use. Never 0 in a sequence.
  uint32_t n = 0;
};

/// The first 8 bytes of a key as a big-endian number (0s after its end):
/// keys whose prefixes differ are ordered as their prefixes, so a node
/// finds its place among its own numbers without reading elsewhere.
inline uint64_t key_prefix(const std::string& key) {
  uint64_t out = 0;
  size_t n = std::min<size_t>(key.size(), 8);
  for (size_t i = 0; i < 8; ++i)
    out = out << 8 | (i < n ? static_cast<unsigned char>(key[i]) : 0u);
  return out;
}

/// An element with its key's prefix.
template <class T>
struct item {
  uint64_t key = 0;
  std::shared_ptr<const T> value;
};

/// A child with its first element and that element's key prefix.
template <class T>
struct kid {
  uint64_t key = 0;
  /// Kept alive by the child.
  const T* first = nullptr;
  std::shared_ptr<node_base> node;
};

/// Up to N slots in key order, the first `n` in use.
template <class Slot, size_t N>
struct node : node_base {
  Slot slots[N];

  node() = default;
  /// Copies the slots in use; the copy is owned by no edit.
  node(const node& o) : node_base{0, o.n} {
    std::copy(o.slots, o.slots + o.n, slots);
  }
};

/// Up to chunk_elements elements.
template <class T>
using leaf = node<item<T>, chunk_elements>;
/// Up to branch_fanout children.
template <class T>
using branch = node<kid<T>, branch_fanout>;

/// A number no edit had before.
inline uint64_t next_edit() {
  static std::atomic<uint64_t> last{0};
  return ++last;
}

/// Levels at most, leaves included (at least 16^15 elements).
inline constexpr int max_levels = 16;

/// Walks the elements of a tree in key order: the node and the index in it
/// at every level, the leaf's at 0.
template <class T>
class tree_cursor {
public:
  tree_cursor() = default;
  tree_cursor(const node_base* root, int height) : height_(height) {
    if (!root)
      return;
    path_[height] = root;
    descend(height);
  }

  bool at_end() const { return path_[0] == nullptr; }
  const std::shared_ptr<const T>& element() const {
    return static_cast<const leaf<T>*>(path_[0])->slots[idx_[0]].value;
  }
  void next() {
    if (++idx_[0] == path_[0]->n)
      skip(0);
  }
  bool same_place(const tree_cursor& o) const {
    return path_[0] == o.path_[0] && idx_[0] == o.idx_[0];
  }

  /// If both cursors stand at the first element of one and the same node,
  /// moves both past the largest such node and returns true.
  bool skip_shared(tree_cursor& o) {
    for (int h = std::min(start_level(), o.start_level()); h >= 0; --h)
      if (path_[h] == o.path_[h]) {
        skip(h);
        o.skip(h);
        return true;
      }
    return false;
  }

private:
  /// The highest level whose node this cursor stands at the start of; -1
  /// when inside a leaf.
  int start_level() const {
    int h = -1;
    while (h < height_ && idx_[h + 1] == 0)
      ++h;
    return h;
  }
  /// Moves past the whole node at level `h`.
  void skip(int h) {
    for (int up = h + 1; up <= height_; ++up)
      if (++idx_[up] < path_[up]->n) {
        descend(up);
        return;
      }
    path_[0] = nullptr;
    idx_[0] = 0;
  }
  /// Stands at the first element under the child chosen at level `h`.
  void descend(int h) {
    for (int j = h; j > 0; --j) {
      path_[j - 1] =
          static_cast<const branch<T>*>(path_[j])->slots[idx_[j]].node.get();
      idx_[j - 1] = 0;
    }
  }

  const node_base* path_[max_levels] = {};
  uint32_t idx_[max_levels] = {};
  int height_ = 0;
};

} // namespace seq_detail
} // namespace berry
