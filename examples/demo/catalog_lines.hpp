#pragma once

// A large demo catalog for `berry import` (API.md "Bulk import"), made by
// `berry seed --products N`: products drawn from the demo's item kinds and
// word tables (Russian titles and descriptions), spread over its leaf
// categories, with stock in one to three of its warehouses.

#include <cstddef>
#include <cstdint>
#include <iosfwd>

namespace berry::demo {

/// Writes `count` import lines to `out`, external ids demo-0000001 onwards.
/// The same `seed` gives the same lines, and the first k lines of a larger
/// count are the k lines of a smaller one.
void write_catalog_lines(std::ostream& out, size_t count,
                         uint32_t seed = 20261124);

} // namespace berry::demo
