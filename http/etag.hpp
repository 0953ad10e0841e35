#pragma once

// Strong entity tags from response bodies, and the If-None-Match test that
// turns a repeated GET into a 304.

#include <cstdint>
#include <string>
#include <string_view>

namespace berry::http {

/// 64-bit FNV-1a of `data`.
uint64_t fnv1a64(std::string_view data);

/// A strong ETag for `body`: the FNV-1a hash in 16 hex digits, quoted.
std::string make_etag(std::string_view body);

/// The ETag of a body whose fnv1a64 is `hash` (make_etag without the body).
std::string etag_of(uint64_t hash);

/// True when the If-None-Match header value `header` names `etag`: `*`, or
/// a comma-separated list where one tag equals it under the weak comparison
/// of RFC 9110 (a W/ prefix on either side is ignored).
bool if_none_match(std::string_view header, std::string_view etag);

} // namespace berry::http
