#pragma once

// gzip for answers: whether the client takes it, the compression itself
// (zlib), and the step that compresses a finished response when it pays.

#include <string>
#include <string_view>

#include "http/message.hpp"

namespace berry::http {

/// Bodies shorter than this go out as they are: gzip's header and the CPU
/// cost more than the bytes saved.
inline constexpr size_t gzip_threshold = 1024;

/// True when an Accept-Encoding value takes gzip (or `*`) with q above 0.
bool accepts_gzip(std::string_view accept_encoding);

/// `data` in the gzip format at the best compression level.
std::string gzip(std::string_view data);

/// `data` back from the gzip format, or "" when it is not valid gzip.
std::string gunzip(std::string_view data);

/// True for the types worth compressing: text, JSON, JavaScript, SVG.
bool compressible(std::string_view content_type);

/// Compresses `res` in place when the client takes gzip, the body is at
/// least gzip_threshold bytes of a compressible type and not yet encoded:
/// Content-Encoding gzip, a weak ETag (the bytes differ, the meaning does
/// not) and Vary: Accept-Encoding.
void gzip_response(response& res, bool client_takes_gzip);

} // namespace berry::http
