#include "http/gzip.hpp"

#include <zlib.h>

#include <cstdlib>

namespace berry::http {

namespace {

// True when one "coding;q=x" item names gzip or * with a q above 0.
bool takes(std::string_view item) {
  auto semi = item.find(';');
  auto coding = trim_ows(item.substr(0, semi));
  if (!iequals(coding, "gzip") && !iequals(coding, "x-gzip") && coding != "*")
    return false;
  while (semi != std::string_view::npos) {
    item.remove_prefix(semi + 1);
    semi = item.find(';');
    auto param = trim_ows(item.substr(0, semi));
    if (param.size() > 2 && (param[0] == 'q' || param[0] == 'Q') &&
        param[1] == '=')
      return std::strtod(std::string{param.substr(2)}.c_str(), nullptr) > 0;
  }
  return true;
}

// Runs zlib over `in` with `step` (deflate or inflate) until it ends.
template <class Step>
bool pump(z_stream& z, std::string_view in, std::string& out, Step step) {
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  z.avail_in = static_cast<uInt>(in.size());
  char buf[16384];
  int rc;
  do {
    z.next_out = reinterpret_cast<Bytef*>(buf);
    z.avail_out = sizeof buf;
    rc = step(z);
    if (rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR)
      return false;
    out.append(buf, sizeof buf - z.avail_out);
    if (rc == Z_BUF_ERROR && z.avail_in == 0)
      return false; // truncated input
  } while (rc != Z_STREAM_END);
  return true;
}

} // namespace

bool accepts_gzip(std::string_view header) {
  while (!header.empty()) {
    auto comma = header.find(',');
    if (takes(header.substr(0, comma)))
      return true;
    if (comma == std::string_view::npos)
      break;
    header.remove_prefix(comma + 1);
  }
  return false;
}

std::string gzip(std::string_view data) {
  z_stream z{};
  // 15 window bits + 16: a gzip header and trailer, not a zlib one.
  deflateInit2(&z, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 8,
               Z_DEFAULT_STRATEGY);
  std::string out;
  out.reserve(data.size() / 3 + 64);
  pump(z, data, out, [](z_stream& s) { return deflate(&s, Z_FINISH); });
  deflateEnd(&z);
  return out;
}

std::string gunzip(std::string_view data) {
  z_stream z{};
  inflateInit2(&z, 15 + 16);
  std::string out;
  bool ok =
      pump(z, data, out, [](z_stream& s) { return inflate(&s, Z_NO_FLUSH); });
  inflateEnd(&z);
  return ok ? out : std::string{};
}

bool compressible(std::string_view type) {
  auto starts = [&](std::string_view p) {
    return type.substr(0, p.size()) == p;
  };
  return starts("text/") || starts("application/json") ||
         starts("application/problem+json") || starts("image/svg+xml") ||
         starts("application/javascript");
}

void gzip_response(response& res, bool client_takes_gzip) {
  if (res.body.size() < gzip_threshold || !compressible(res.content_type) ||
      !res.header_value("Content-Encoding").empty())
    return;
  auto vary = std::string{res.header_value("Vary")};
  if (vary.empty())
    res.set("Vary", "Accept-Encoding");
  else if (vary.find("Accept-Encoding") == std::string::npos)
    res.set("Vary", vary + ", Accept-Encoding");
  if (!client_takes_gzip)
    return;
  res.body = gzip(res.body);
  res.set("Content-Encoding", "gzip");
  auto tag = std::string{res.header_value("ETag")};
  if (!tag.empty() && tag.rfind("W/", 0) != 0)
    res.set("ETag", "W/" + tag);
}

} // namespace berry::http
