#pragma once

// The catalog's in-memory search index at start-up: made before the node is
// ready for a small catalog, after it for a large one (about 8 s a million
// products), while searches run on SQLite; then the heap the start-up freed
// goes back to the system.

#include <cstddef>
#include <thread>

#include "actors/catalog_search.hpp"
#include "actors/catalog_view.hpp"

namespace berry {

/// Catalogs of up to this many products are indexed before the node is
/// ready (under a second).
inline constexpr std::size_t index_before_ready = 100'000;

/// Indexes the catalog of `view` into `search`: at once when it has at most
/// `at_once` products (returns an empty thread), else on the thread it
/// returns, which the caller joins before `search` or `view` go. Products
/// changed while the thread indexed are indexed again after it. Either way
/// the heap freed so far is given back to the system afterwards.
std::thread index_catalog(catalog_search& search, const catalog_view& view,
                          std::size_t at_once = index_before_ready);

/// Indexes again the products of `latest` that differ, in what search
/// indexes, from those of `indexed`, the snapshot the index was made of.
void index_changes(catalog_search& search, const catalog_snapshot& indexed,
                   const catalog_snapshot& latest);

/// Gives the heap's free pages back to the system (tcmalloc's
/// ReleaseFreeMemory when the server is linked with it, else glibc's
/// malloc_trim): the start-up frees much of what it loads.
void release_free_memory();

} // namespace berry
