// The storefront read once: gzip copies, hashed asset URLs, ETags and 304s.

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <random>

#include "http/gzip.hpp"
#include "http/static_files_site.hpp"

using namespace berry::http;
namespace fs = std::filesystem;

namespace {

const std::string big_js = [] {
  std::string s;
  for (int i = 0; i < 100; ++i)
    s += "export const x" + std::to_string(i) + " = 'товар';\n";
  return s;
}();

// index.html naming /js/app.js, /css/site.css and /missing.css.
struct site_dir {
  fs::path root;

  site_dir() {
    std::random_device rd;
    root = fs::temp_directory_path() /
           ("berry-site-" + std::to_string(rd()) + std::to_string(rd()));
    fs::create_directories(root / "js");
    fs::create_directories(root / "css");
    write("index.html",
          R"(<link href="/css/site.css"><link href="/missing.css">)"
          R"(<script src="/js/app.js"></script><a href="/">x</a>)");
    write("js/app.js", big_js);
    write("css/site.css", "body{}");
  }

  ~site_dir() {
    std::error_code ec;
    fs::remove_all(root, ec);
  }

  void write(const std::string& rel, const std::string& text) {
    std::ofstream{root / rel} << text;
  }
};

request get(const std::string& path, const std::string& encoding = {},
            const std::string& inm = {}) {
  request req;
  req.method = "GET";
  req.path = path;
  if (!encoding.empty())
    req.headers.emplace_back("Accept-Encoding", encoding);
  if (!inm.empty())
    req.headers.emplace_back("If-None-Match", inm);
  return req;
}

} // namespace

TEST_CASE("a text asset is sent gzipped to a client that takes gzip") {
  site_dir d;
  static_site site{d.root};
  auto res = site.serve(get("/js/app.js", "gzip, br"));
  CHECK(res.status == 200);
  CHECK(res.header_value("Content-Encoding") == "gzip");
  CHECK(res.header_value("Vary") == "Accept-Encoding");
  CHECK(res.content_type == "text/javascript; charset=utf-8");
  CHECK(res.body.size() < big_js.size() / 4);
  CHECK(gunzip(res.body) == big_js);
}

TEST_CASE("a client without gzip gets the plain file") {
  site_dir d;
  static_site site{d.root};
  auto res = site.serve(get("/js/app.js"));
  CHECK(res.header_value("Content-Encoding").empty());
  CHECK(res.body == big_js);
  auto q0 = site.serve(get("/js/app.js", "gzip;q=0"));
  CHECK(q0.body == big_js);
}

TEST_CASE("the page names its assets under the build's hash, and only "
          "those that exist") {
  site_dir d;
  static_site site{d.root};
  auto page = site.serve(get("/"));
  auto prefix = "/assets/" + site.hash() + "/";
  CHECK(site.hash().size() == 12);
  CHECK(page.body == "<link href=\"" + prefix + "css/site.css\">" +
                         "<link href=\"/missing.css\"><script src=\"" + prefix +
                         "js/app.js\"></script><a href=\"/\">x</a>");
  CHECK(page.header_value("Cache-Control") == "no-cache");
  // A route of the app is the same page.
  CHECK(site.serve(get("/orders/42")).body == page.body);
}

TEST_CASE("a hashed asset is cached for a year; a stale hash is not") {
  site_dir d;
  static_site site{d.root};
  auto res = site.serve(get("/assets/" + site.hash() + "/css/site.css"));
  CHECK(res.status == 200);
  CHECK(res.body == "body{}");
  CHECK(res.header_value("Cache-Control") ==
        "public, max-age=31536000, immutable");
  auto stale = site.serve(get("/assets/0123456789ab/css/site.css"));
  CHECK(stale.body == "body{}");
  CHECK(stale.header_value("Cache-Control") == "no-cache");
  CHECK(site.serve(get("/css/site.css")).header_value("Cache-Control") ==
        "public, max-age=3600");
  CHECK(site.serve(get("/assets/" + site.hash() + "/nothing")).status == 404);
  CHECK(site.serve(get("/assets/" + site.hash() + "/../index.html")).status ==
        404);
}

TEST_CASE("new content is a new hash") {
  site_dir d;
  auto before = static_site{d.root}.hash();
  d.write("css/site.css", "body{color:red}");
  CHECK(static_site{d.root}.hash() != before);
}

TEST_CASE("each encoding has its own ETag, and each answers 304") {
  site_dir d;
  static_site site{d.root};
  auto plain = site.serve(get("/js/app.js"));
  auto packed = site.serve(get("/js/app.js", "gzip"));
  auto plain_tag = std::string{plain.header_value("ETag")};
  auto packed_tag = std::string{packed.header_value("ETag")};
  CHECK_FALSE(plain_tag.empty());
  CHECK(packed_tag != plain_tag);
  auto again = site.serve(get("/js/app.js", "gzip", packed_tag));
  CHECK(again.status == 304);
  CHECK(again.body.empty());
  CHECK(again.header_value("ETag") == packed_tag);
  CHECK(site.serve(get("/js/app.js", "", plain_tag)).status == 304);
  // The plain tag does not stand for the gzip bytes.
  CHECK(site.serve(get("/js/app.js", "gzip", plain_tag)).status == 200);
}

TEST_CASE("a missing root serves 404s") {
  static_site site{"/nonexistent/berry-site"};
  CHECK(site.serve(get("/")).status == 404);
}
