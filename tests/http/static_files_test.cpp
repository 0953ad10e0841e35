// The storefront's files: safe resolution, types, caching, SPA fallback.

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <random>

#include "http/static_files.hpp"

using namespace berry::http;
namespace fs = std::filesystem;

namespace {

// A web root with index.html, app.js and css/site.css, beside a secret file
// outside it and a symlink inside pointing to that secret.
struct web_dir {
  fs::path base;
  fs::path root;

  web_dir() {
    std::random_device rd;
    base = fs::temp_directory_path() /
           ("berry-web-" + std::to_string(rd()) + std::to_string(rd()));
    root = base / "web";
    fs::create_directories(root / "css");
    write(root / "index.html", "<h1>Berry</h1>");
    write(root / "app.js", "console.log(1)");
    write(root / "css" / "site.css", "body{}");
    write(root / ".env", "SECRET=1");
    write(base / "secret.txt", "top secret");
    fs::create_symlink(base / "secret.txt", root / "leak.txt");
    fs::create_directory_symlink(base, root / "up");
  }

  ~web_dir() {
    std::error_code ec;
    fs::remove_all(base, ec);
  }

  static void write(const fs::path& p, const std::string& text) {
    std::ofstream{p} << text;
  }

  std::string resolved(const std::string& raw) const {
    auto p = resolve_static_path(root, raw);
    return p ? fs::relative(*p, fs::canonical(root)).string() : "-";
  }
};

request get(const std::string& path, const std::string& inm = {}) {
  request req;
  req.method = "GET";
  req.path = path;
  if (!inm.empty())
    req.headers.emplace_back("If-None-Match", inm);
  return req;
}

} // namespace

TEST_CASE("the root and folders serve index.html") {
  web_dir w;
  CHECK(w.resolved("/") == "index.html");
  CHECK(w.resolved("/app.js") == "app.js");
  CHECK(w.resolved("/css/site.css") == "css/site.css");
}

TEST_CASE("a folder with its own index.html is that page, with or without a "
          "slash") {
  web_dir w;
  fs::create_directories(w.root / "docs");
  std::ofstream{w.root / "docs" / "index.html"} << "<h1>API</h1>";
  CHECK(w.resolved("/docs") == "docs/index.html");
  CHECK(w.resolved("/docs/") == "docs/index.html");
  // A folder without one is a storefront route.
  CHECK(w.resolved("/css") == "index.html");
}

TEST_CASE("an extensionless unknown path falls back to index.html") {
  web_dir w;
  CHECK(w.resolved("/orders/42") == "index.html");
  CHECK(w.resolved("/missing.js") == "-");
}

TEST_CASE("dot-dot segments, plain or encoded, are refused") {
  web_dir w;
  CHECK(w.resolved("/../secret.txt") == "-");
  CHECK(w.resolved("/css/../../secret.txt") == "-");
  CHECK(w.resolved("/%2e%2e/secret.txt") == "-");
  CHECK(w.resolved("/%2E%2E/secret.txt") == "-");
}

TEST_CASE("encoded slashes, backslashes and NUL are refused") {
  web_dir w;
  CHECK(w.resolved("/css%2fsite.css") == "-");
  CHECK(w.resolved("/css%2Fsite.css") == "-");
  CHECK(w.resolved("/..%5csecret.txt") == "-");
  CHECK(w.resolved("/css\\site.css") == "-");
  CHECK(w.resolved("/app.js%00.html") == "-");
  CHECK(w.resolved("/%zz") == "-");
}

TEST_CASE("a symlink that leads outside the root is refused") {
  web_dir w;
  CHECK(w.resolved("/leak.txt") == "-");
  CHECK(w.resolved("/up/secret.txt") == "-");
}

TEST_CASE("hidden files are not served") {
  web_dir w;
  CHECK(w.resolved("/.env") == "-");
}

TEST_CASE("content types follow the extension") {
  CHECK(mime_type("a.html") == "text/html; charset=utf-8");
  CHECK(mime_type("a.js") == "text/javascript; charset=utf-8");
  CHECK(mime_type("a.mjs") == "text/javascript; charset=utf-8");
  CHECK(mime_type("a.css") == "text/css; charset=utf-8");
  CHECK(mime_type("a.svg") == "image/svg+xml");
  CHECK(mime_type("a.png") == "image/png");
  CHECK(mime_type("a.JPG") == "image/jpeg");
  CHECK(mime_type("a.ico") == "image/x-icon");
  CHECK(mime_type("a.json") == "application/json");
  CHECK(mime_type("a.woff2") == "font/woff2");
  CHECK(mime_type("a.txt") == "text/plain; charset=utf-8");
  CHECK(mime_type("a.map") == "application/json");
  CHECK(mime_type("a.bin") == "application/octet-stream");
}

TEST_CASE("a file is served with its type, ETag and cache policy") {
  web_dir w;
  auto html = serve_static(w.root, get("/"));
  CHECK(html.status == 200);
  CHECK(html.body == "<h1>Berry</h1>");
  CHECK(html.content_type == "text/html; charset=utf-8");
  CHECK(html.header_value("Cache-Control") == "no-cache");
  auto js = serve_static(w.root, get("/app.js"));
  CHECK(js.header_value("Cache-Control") == "public, max-age=3600");
  CHECK_FALSE(js.header_value("ETag").empty());
}

TEST_CASE("a file asked again with its ETag answers 304 without a body") {
  web_dir w;
  auto first = serve_static(w.root, get("/app.js"));
  auto again = serve_static(
      w.root, get("/app.js", std::string{first.header_value("ETag")}));
  CHECK(again.status == 304);
  CHECK(again.body.empty());
  CHECK(again.header_value("ETag") == first.header_value("ETag"));
}

TEST_CASE("a missing or unsafe file is a 404 problem") {
  web_dir w;
  auto res = serve_static(w.root, get("/../secret.txt"));
  CHECK(res.status == 404);
  CHECK(res.content_type == "application/problem+json");
}

TEST_CASE("without a web root even / is a 404 problem") {
  auto res = serve_static("/nonexistent/berry/web", get("/"));
  CHECK(res.status == 404);
  CHECK(serve_static("", get("/")).status == 404);
}
