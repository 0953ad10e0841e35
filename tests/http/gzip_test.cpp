// gzip for answers: who takes it, the round trip, and when a response is
// compressed.

#include <catch2/catch.hpp>

#include "http/gzip.hpp"

using namespace berry::http;

namespace {

std::string big_json() {
  std::string s = "[";
  for (int i = 0; i < 200; ++i)
    s += R"({"id":"p)" + std::to_string(i) + R"(","name":"Чайник"},)";
  s.back() = ']';
  return s;
}

} // namespace

TEST_CASE("Accept-Encoding takes gzip unless q=0 says otherwise") {
  CHECK(accepts_gzip("gzip"));
  CHECK(accepts_gzip("gzip, deflate, br"));
  CHECK(accepts_gzip("br;q=1.0, GZIP;q=0.5"));
  CHECK(accepts_gzip("*"));
  CHECK_FALSE(accepts_gzip(""));
  CHECK_FALSE(accepts_gzip("identity"));
  CHECK_FALSE(accepts_gzip("br, deflate"));
  CHECK_FALSE(accepts_gzip("gzip;q=0"));
  CHECK_FALSE(accepts_gzip("gzip; q=0.000"));
}

TEST_CASE("gzip and gunzip give back the same bytes") {
  auto text = big_json();
  auto packed = gzip(text);
  CHECK(packed.size() < text.size() / 4);
  CHECK(packed.substr(0, 2) == "\x1f\x8b");
  CHECK(gunzip(packed) == text);
  CHECK(gunzip(gzip("")).empty());
  CHECK(gunzip("not gzip at all").empty());
  CHECK(gunzip(packed.substr(0, packed.size() / 2)).empty());
}

TEST_CASE("a large JSON answer is compressed for a client that takes gzip") {
  auto res = json_response(big_json());
  res.set("ETag", "\"abc\"");
  gzip_response(res, true);
  CHECK(res.header_value("Content-Encoding") == "gzip");
  CHECK(res.header_value("Vary") == "Accept-Encoding");
  CHECK(res.header_value("ETag") == "W/\"abc\"");
  CHECK(gunzip(res.body) == big_json());
}

TEST_CASE("an answer stays as it is for a client without gzip") {
  auto res = json_response(big_json());
  gzip_response(res, false);
  CHECK(res.header_value("Content-Encoding").empty());
  CHECK(res.header_value("Vary") == "Accept-Encoding");
  CHECK(res.body == big_json());
}

TEST_CASE("small, binary or already encoded answers are not compressed") {
  auto small = json_response(R"({"status":"ok"})");
  gzip_response(small, true);
  CHECK(small.body == R"({"status":"ok"})");
  CHECK(small.header_value("Vary").empty());

  response png;
  png.content_type = "image/png";
  png.body = std::string(4096, 'x');
  gzip_response(png, true);
  CHECK(png.body.size() == 4096);

  auto done = json_response(big_json());
  done.set("Content-Encoding", "gzip");
  gzip_response(done, true);
  CHECK(done.body == big_json());
}

TEST_CASE("Vary keeps what it already named") {
  auto res = json_response(big_json());
  res.set("Vary", "Origin");
  gzip_response(res, true);
  CHECK(res.header_value("Vary") == "Origin, Accept-Encoding");
}
