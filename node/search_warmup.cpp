#include "node/search_warmup.hpp"

#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "config/logging.hpp"

// gperftools' C interface, present when the server is linked with tcmalloc
// (CMakeLists.txt, BERRY_TCMALLOC) and null otherwise: a weak declaration, so
// that the tests, linked without it, need no tcmalloc.
extern "C" void MallocExtension_ReleaseFreeMemory() __attribute__((weak));

namespace berry {

namespace {

/// True when `a` and `b` would be indexed alike.
bool same_text(const product& a, const product& b) {
  return a.title == b.title && a.description == b.description &&
         a.category_id == b.category_id && a.price == b.price &&
         a.created_at == b.created_at;
}

void index_now(catalog_search& search, const catalog_view& view) {
  auto indexed = view.load();
  search.rebuild(*indexed);
  // A product put while the index was made is in the latest snapshot but
  // perhaps not in the index (rebuild forgets what was put before it).
  index_changes(search, *indexed, *view.load());
  release_free_memory();
}

} // namespace

void index_changes(catalog_search& search, const catalog_snapshot& indexed,
                   const catalog_snapshot& latest) {
  catalog_entries::diff(
      indexed.products, latest.products,
      [&](const auto& e) {
        const auto* before = indexed.find(e->item.id);
        if (!before || !same_text(before->item, e->item))
          search.put(e->item, latest);
      },
      [](const auto&) {});
}

std::thread index_catalog(catalog_search& search, const catalog_view& view,
                          std::size_t at_once) {
  if (view.load()->products.size() <= at_once) {
    index_now(search, view);
    return {};
  }
  return std::thread([&search, &view] {
    index_now(search, view);
    log::info("search index ready", {{"products", search.size()}});
  });
}

void release_free_memory() {
  if (MallocExtension_ReleaseFreeMemory) {
    MallocExtension_ReleaseFreeMemory();
    return;
  }
#if defined(__GLIBC__)
  malloc_trim(0);
#endif
}

} // namespace berry
