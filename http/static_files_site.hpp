#pragma once

// The storefront's files read once at start: each kept with its ETag and,
// for text, a gzip copy made then; pages (*.html) point at their assets
// under /assets/<hash>/, where <hash> is a hash of every file's content, so
// assets are cached for a year and a new build is a new URL.

#include <filesystem>
#include <map>
#include <string>

#include "http/message.hpp"

namespace berry::http {

/// The web root as it was at construction; thread-safe to serve from.
class static_site {
public:
  /// Reads every file under `root` (hidden ones and those reached through
  /// links leading outside it skipped). A missing root serves only 404s.
  explicit static_site(std::filesystem::path root);

  /// The hash of every file's content, as it appears in asset URLs.
  const std::string& hash() const { return hash_; }

  /// Answers GET/HEAD of `req`: the file (gzip when the request takes it
  /// and that is smaller), 304 when If-None-Match names the variant's ETag,
  /// or a 404 problem. /assets/<hash>/x is x; cached for a year when
  /// <hash> is this build's, no-cache otherwise. Pages are no-cache.
  response serve(const request& req) const;

private:
  struct file {
    std::string body;
    std::string gz; ///< empty when gzip would not pay
    std::string etag;
    std::string gz_etag;
    std::string content_type;
  };

  void add(const std::string& key, std::string body);
  std::string rewrite_page(const std::string& page) const;

  std::filesystem::path root_;
  std::map<std::string, file> files_; ///< by path relative to the root
  std::string hash_;
};

} // namespace berry::http
