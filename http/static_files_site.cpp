#include "http/static_files_site.hpp"

#include <fstream>
#include <iterator>
#include <system_error>

#include "http/etag.hpp"
#include "http/gzip.hpp"
#include "http/problem.hpp"
#include "http/static_files.hpp"
#include "http/static_files_modules.hpp"

namespace fs = std::filesystem;

namespace berry::http {

namespace {

constexpr std::string_view assets_prefix = "/assets/";
constexpr const char* immutable = "public, max-age=31536000, immutable";

bool hidden(const fs::path& rel) {
  for (auto& part : rel)
    if (!part.empty() && part.string().front() == '.')
      return true;
  return false;
}

std::string read_all(const fs::path& p) {
  std::ifstream in{p, std::ios::binary};
  return {std::istreambuf_iterator<char>{in}, std::istreambuf_iterator<char>{}};
}

bool is_page(const std::string& key) {
  return fs::path{key}.extension() == ".html";
}

} // namespace

static_site::static_site(fs::path root) {
  std::error_code ec;
  root_ = fs::weakly_canonical(root, ec);
  if (ec || !fs::is_directory(root_, ec))
    return;
  std::map<std::string, std::string> pages;
  for (auto it = fs::recursive_directory_iterator{root_, ec};
       !ec && it != fs::recursive_directory_iterator{}; it.increment(ec)) {
    auto rel = fs::relative(it->path(), root_, ec);
    if (ec || hidden(rel)) {
      if (it->is_directory(ec))
        it.disable_recursion_pending();
      continue;
    }
    // Through resolve_static_path: what it refuses is not served.
    auto key = rel.generic_string();
    // Nor what is no asset of the storefront (its README, licences).
    if (!it->is_regular_file(ec) || !resolve_static_path(root_, "/" + key) ||
        mime_type(key) == "application/octet-stream")
      continue;
    (is_page(key) ? pages[key] : files_[key].body) = read_all(it->path());
  }
  // The hash covers the assets; pages name it, so it cannot cover them.
  std::string all;
  for (auto& [key, f] : files_)
    all += key + '\0' + make_etag(f.body);
  hash_ = make_etag(all).substr(1, 12);
  for (auto& [key, f] : files_)
    add(key, std::move(f.body));
  std::map<std::string, std::string> modules;
  for (auto& [key, f] : files_)
    if (fs::path{key}.extension() == ".js")
      modules[key] = f.body;
  for (auto& [key, text] : pages)
    add(key, rewrite_page(add_module_preloads(text, modules)));
}

void static_site::add(const std::string& key, std::string body) {
  file f;
  f.content_type = mime_type(key);
  f.etag = make_etag(body);
  if (compressible(f.content_type) && body.size() >= 256) {
    auto gz = gzip(body);
    if (gz.size() < body.size()) {
      f.gz = std::move(gz);
      f.gz_etag = f.etag.substr(0, f.etag.size() - 1) + "-gz\"";
    }
  }
  f.body = std::move(body);
  files_[key] = std::move(f);
}

// Every "/x" in the page that names an asset becomes "/assets/<hash>/x".
std::string static_site::rewrite_page(const std::string& page) const {
  std::string out;
  size_t at = 0;
  for (;;) {
    auto start = page.find("\"/", at);
    if (start == std::string::npos)
      break;
    auto end = page.find('"', start + 1);
    if (end == std::string::npos)
      break;
    auto key = page.substr(start + 2, end - start - 2);
    out.append(page, at, start + 1 - at);
    if (files_.count(key) && !is_page(key))
      out += std::string{assets_prefix} + hash_ + "/";
    else
      out += "/";
    out += key;
    at = end;
  }
  out.append(page, at, std::string::npos);
  return out;
}

response static_site::serve(const request& req) const {
  auto not_found = [&] {
    return problem_response(make_problem(berry_errc::not_found, "no such page"),
                            req.request_id);
  };
  std::string_view path = req.path;
  bool hashed = false, current = false;
  if (path.substr(0, assets_prefix.size()) == assets_prefix) {
    path.remove_prefix(assets_prefix.size());
    auto slash = path.find('/');
    if (slash == std::string_view::npos)
      return not_found();
    hashed = true;
    current = path.substr(0, slash) == hash_;
    path.remove_prefix(slash);
  }
  auto real = resolve_static_path(root_, path);
  if (!real)
    return not_found();
  auto it = files_.find(fs::relative(*real, root_).generic_string());
  // An asset URL names that file: no page fallback under /assets/.
  if (it == files_.end() || (hashed && is_page(it->first)))
    return not_found();
  auto& f = it->second;
  bool gz = !f.gz.empty() && accepts_gzip(req.header_value("Accept-Encoding"));
  response res;
  res.content_type = f.content_type;
  res.set("ETag", gz ? f.gz_etag : f.etag);
  res.set("Cache-Control", is_page(it->first) ? "no-cache"
                           : current          ? immutable
                           : hashed           ? "no-cache"
                                              : "public, max-age=3600");
  if (!f.gz.empty())
    res.set("Vary", "Accept-Encoding");
  if (gz)
    res.set("Content-Encoding", "gzip");
  if (if_none_match(req.header_value("If-None-Match"),
                    res.header_value("ETag"))) {
    res.status = 304;
    return res;
  }
  res.body = gz ? f.gz : f.body;
  return res;
}

} // namespace berry::http
