#include "http/security_headers.hpp"

#include <filesystem>
#include <set>

#include <sodium.h>

#include "http/static_files_site.hpp"

namespace berry::http {

std::vector<std::string> inline_scripts(std::string_view html) {
  std::vector<std::string> out;
  size_t at = 0;
  for (;;) {
    auto open = html.find("<script", at);
    if (open == std::string_view::npos)
      return out;
    auto tag_end = html.find('>', open);
    if (tag_end == std::string_view::npos)
      return out;
    auto close = html.find("</script>", tag_end);
    if (close == std::string_view::npos)
      return out;
    auto tag = html.substr(open, tag_end - open);
    if (tag.find(" src=") == std::string_view::npos)
      out.emplace_back(html.substr(tag_end + 1, close - tag_end - 1));
    at = close + 9;
  }
}

std::string csp_hash(std::string_view script) {
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest,
                     reinterpret_cast<const unsigned char*>(script.data()),
                     script.size());
  char b64[sodium_base64_ENCODED_LEN(sizeof digest,
                                     sodium_base64_VARIANT_ORIGINAL)];
  sodium_bin2base64(b64, sizeof b64, digest, sizeof digest,
                    sodium_base64_VARIANT_ORIGINAL);
  return std::string{"'sha256-"} + b64 + "'";
}

std::string content_security_policy(const std::string& web_root) {
  namespace fs = std::filesystem;
  // The pages as they are served (their asset paths rewritten), since the
  // hash must match the script the browser gets.
  static_site site{web_root};
  std::set<std::string> hashes;
  std::error_code ec;
  if (!web_root.empty() && fs::is_directory(web_root, ec))
    for (auto it = fs::recursive_directory_iterator(web_root, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (it->path().extension() != ".html")
        continue;
      request req;
      req.path = "/" + fs::relative(it->path(), web_root, ec).generic_string();
      auto page = site.serve(req);
      if (page.status == 200)
        for (auto& script : inline_scripts(page.body))
          hashes.insert(csp_hash(script));
    }
  std::string scripts = "script-src 'self'";
  for (auto& h : hashes)
    scripts += " " + h;
  return "default-src 'self'; " + scripts +
         "; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
         "object-src 'none'; base-uri 'none'; form-action 'self'; "
         "frame-ancestors 'none'";
}

bool carries_credentials(const request& req) {
  if (!req.header_value("Authorization").empty())
    return true;
  return req.query.find("access_token=") != std::string::npos;
}

} // namespace berry::http
