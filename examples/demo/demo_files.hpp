#pragma once

// The demo marketplace's data files (examples/demo/*.json), compiled into
// the binary so that seeding needs no files at run time.

#include <string_view>

namespace berry::demo {

/// categories.json: the category tree, parents before their children.
std::string_view categories_json();
/// words.json: the word tables product titles are made of, by section.
std::string_view words_json();
/// sentences.json: each domain's optional feature and care sentences.
std::string_view sentences_json();
/// item_kinds.json: the kinds of item of each leaf category.
std::string_view item_kinds_json();
/// places.json: the warehouses, and what couriers are called.
std::string_view places_json();
/// streets.json: the delivery city's streets and its delivery zone.
std::string_view streets_json();

} // namespace berry::demo
