#include "http/static_files.hpp"

#include <cctype>
#include <system_error>

#include "http/query.hpp"
#include "http/static_files_site.hpp"

namespace fs = std::filesystem;

namespace berry::http {

namespace {

bool has_encoded_separator(std::string_view raw) {
  for (size_t i = 0; i + 2 < raw.size(); ++i) {
    if (raw[i] != '%')
      continue;
    auto a = raw[i + 1];
    auto b = static_cast<char>(raw[i + 2] | 0x20); // lower case
    if ((a == '2' && b == 'f') || (a == '5' && b == 'c') ||
        (a == '0' && b == '0'))
      return true;
  }
  return false;
}

// True when `p` lies inside `root`; both canonical.
bool inside(const fs::path& root, const fs::path& p) {
  auto r = root.begin();
  auto q = p.begin();
  for (; r != root.end(); ++r, ++q)
    if (q == p.end() || *r != *q)
      return false;
  return true;
}

std::optional<fs::path> regular_inside(const fs::path& root,
                                       const fs::path& candidate) {
  std::error_code ec;
  auto real = fs::weakly_canonical(candidate, ec);
  if (ec || !inside(root, real) || !fs::is_regular_file(real, ec))
    return std::nullopt;
  return real;
}

} // namespace

std::optional<fs::path> resolve_static_path(const fs::path& root,
                                            std::string_view raw_path) {
  if (has_encoded_separator(raw_path))
    return std::nullopt;
  auto path = percent_decode(raw_path);
  if (!path || path->empty() || path->front() != '/' ||
      path->find('\\') != std::string::npos ||
      path->find('\0') != std::string::npos)
    return std::nullopt;
  std::error_code ec;
  auto real_root = fs::weakly_canonical(root, ec);
  if (ec || root.empty() || !fs::is_directory(real_root, ec))
    return std::nullopt;
  // Walk the segments: no dot segments, no hidden files.
  fs::path rel;
  std::string_view rest{*path};
  rest.remove_prefix(1);
  std::string last;
  while (!rest.empty()) {
    auto slash = rest.find('/');
    auto seg = rest.substr(0, slash);
    rest = slash == std::string_view::npos ? std::string_view{}
                                           : rest.substr(slash + 1);
    if (seg.empty())
      continue;
    if (seg.front() == '.')
      return std::nullopt;
    rel /= std::string{seg};
    last = std::string{seg};
  }
  if (path->back() == '/')
    rel /= "index.html";
  if (auto file = regular_inside(real_root, real_root / rel))
    return file;
  // A folder with its own page (/docs) is that page.
  if (!rel.empty())
    if (auto page = regular_inside(real_root, real_root / rel / "index.html"))
      return page;
  // The storefront routes in the browser: /orders/42 is index.html's.
  if (path->back() != '/' && last.find('.') == std::string::npos)
    return regular_inside(real_root, real_root / "index.html");
  return std::nullopt;
}

std::string mime_type(const fs::path& file) {
  auto ext = file.extension().string();
  for (auto& c : ext)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (ext == ".html" || ext == ".htm")
    return "text/html; charset=utf-8";
  if (ext == ".js" || ext == ".mjs")
    return "text/javascript; charset=utf-8";
  if (ext == ".css")
    return "text/css; charset=utf-8";
  if (ext == ".svg")
    return "image/svg+xml";
  if (ext == ".png")
    return "image/png";
  if (ext == ".jpg" || ext == ".jpeg")
    return "image/jpeg";
  if (ext == ".ico")
    return "image/x-icon";
  if (ext == ".json" || ext == ".map")
    return "application/json";
  if (ext == ".woff2")
    return "font/woff2";
  if (ext == ".txt")
    return "text/plain; charset=utf-8";
  return "application/octet-stream";
}

response serve_static(const fs::path& root, const request& req) {
  return static_site{root}.serve(req);
}

} // namespace berry::http
