#pragma once

// The storefront's files from the web root: safe path resolution (nothing
// outside the root, not even through a symlink), content types, ETags, and
// the single-page-app fallback to index.html.

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "http/message.hpp"

namespace berry::http {

/// The file under `root` that the raw URL path `raw_path` names, or nothing
/// when the path is unsafe (`..` or dot segments, encoded slashes or
/// backslashes, NUL, bad escapes), escapes the root, or is no regular file.
/// "/" and paths ending in '/' name index.html in that folder. Extensionless
/// paths that name no file fall back to the root's index.html.
std::optional<std::filesystem::path>
resolve_static_path(const std::filesystem::path& root,
                    std::string_view raw_path);

/// The Content-Type for a file name's extension.
std::string mime_type(const std::filesystem::path& file);

/// Answers GET/HEAD of `req` from `root` as a static_site read just now
/// (http/static_files_site.hpp) would: for tests and one-off answers; the
/// server reads its site once.
response serve_static(const std::filesystem::path& root, const request& req);

} // namespace berry::http
