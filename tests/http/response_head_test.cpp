// The head of an answer as the edge writes it: the status line and the
// fields a client sees, byte for byte, and that Beast's parser reads it
// back as the same answer.

#include "http/response_head.hpp"

#include <catch2/catch.hpp>

#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

using namespace berry::http;

namespace {

constexpr std::string_view security =
    "X-Content-Type-Options: nosniff\r\n"
    "Content-Security-Policy: default-src 'self'\r\n"
    "X-Frame-Options: DENY\r\n"
    "Referrer-Policy: no-referrer\r\n";

head_context context(bool keep_alive = true, unsigned version = 11) {
  head_context cx;
  cx.version = version;
  cx.keep_alive = keep_alive;
  cx.request_id = "r-1";
  cx.csp = "default-src 'self'";
  return cx;
}

std::string head_of(const response& res, const head_context& cx) {
  std::string out = "left from the last answer";
  write_head(res, cx, out);
  return out;
}

response product() {
  auto res = json_response(R"({"id":"p-1"})");
  res.set("Cache-Control", "no-cache");
  res.set("ETag", "\"abc\"");
  return res;
}

} // namespace

TEST_CASE("a JSON answer's head has every field the edge sends, in order") {
  CHECK(head_of(product(), context()) ==
        std::string{"HTTP/1.1 200 OK\r\n"
                    "Server: berry\r\n"
                    "Content-Type: application/json\r\n"
                    "Cache-Control: no-cache\r\n"
                    "ETag: \"abc\"\r\n"} +
            std::string{security} +
            "Content-Length: 12\r\n"
            "X-Request-Id: r-1\r\n"
            "\r\n");
  CHECK(sends_body(product(), false));
}

TEST_CASE("a 304 and a 204 have no type, no length and no body") {
  auto res = product();
  res.status = 304;
  res.body.clear();
  CHECK(head_of(res, context()) == std::string{"HTTP/1.1 304 Not Modified\r\n"
                                               "Server: berry\r\n"
                                               "Cache-Control: no-cache\r\n"
                                               "ETag: \"abc\"\r\n"} +
                                       std::string{security} +
                                       "X-Request-Id: r-1\r\n\r\n");
  CHECK_FALSE(sends_body(res, false));
  res.status = 204;
  auto text = head_of(res, context());
  CHECK(text.rfind("HTTP/1.1 204 No Content\r\n", 0) == 0);
  CHECK(text.find("\r\nContent-Length") == std::string::npos);
  CHECK(text.find("\r\nContent-Type") == std::string::npos);
}

TEST_CASE("HEAD learns the length of the body it does not get") {
  auto cx = context();
  cx.head = true;
  auto text = head_of(product(), cx);
  CHECK(text.find("\r\nContent-Type: application/json\r\n") !=
        std::string::npos);
  CHECK(text.find("\r\nContent-Length: 12\r\n") != std::string::npos);
  CHECK_FALSE(sends_body(product(), true));
}

TEST_CASE("the Connection field says what the connection does next") {
  auto tail = [](const response& res, bool keep_alive, unsigned version) {
    auto text = head_of(res, context(keep_alive, version));
    auto at = text.find("X-Request-Id: r-1\r\n");
    REQUIRE(at != std::string::npos);
    return text.substr(at + 19);
  };
  auto res = product();
  CHECK(tail(res, true, 11) == "\r\n");
  CHECK(tail(res, false, 11) == "Connection: close\r\n\r\n");
  CHECK(tail(res, true, 10) == "Connection: keep-alive\r\n\r\n");
  CHECK(tail(res, false, 10) == "\r\n");
  CHECK(head_of(res, context(false, 10)).rfind("HTTP/1.0 200 OK\r\n", 0) == 0);
  // The tracking route's 426 names its upgrade: kept, moved last.
  res.set("Connection", "Upgrade");
  res.set("Upgrade", "websocket");
  CHECK(tail(res, true, 11) == "Connection: Upgrade\r\n\r\n");
  CHECK(tail(res, false, 11) == "Connection: Upgrade, close\r\n\r\n");
  CHECK(tail(res, true, 10) == "Connection: Upgrade, keep-alive\r\n\r\n");
  CHECK(tail(res, false, 10) == "Connection: Upgrade\r\n\r\n");
  res.set("Connection", "keep-alive, close");
  CHECK(tail(res, true, 11) == "\r\n");
  CHECK(tail(res, false, 11) == "Connection: close\r\n\r\n");
  CHECK(tail(res, true, 10) == "Connection: keep-alive\r\n\r\n");
}

TEST_CASE("a private answer is never stored; a public one keeps its rule") {
  auto cx = context();
  CHECK(head_of(product(), cx).find("\r\nCache-Control: no-cache\r\n") !=
        std::string::npos);
  cx.private_answer = true;
  auto text = head_of(product(), cx);
  CHECK(text.find("no-cache") == std::string::npos);
  // In the handler's place, as it was set.
  CHECK(text.find("Content-Type: application/json\r\n"
                  "Cache-Control: no-store\r\n"
                  "ETag") != std::string::npos);
  auto plain = head_of(json_response("{}"), cx);
  CHECK(plain.find("Referrer-Policy: no-referrer\r\n"
                   "Cache-Control: no-store\r\n"
                   "Content-Length: 2\r\n") != std::string::npos);
}

TEST_CASE("the edge's security fields replace a handler's") {
  auto res = product();
  res.set("x-frame-options", "SAMEORIGIN");
  res.set("Content-Security-Policy", "default-src *");
  res.set("Location", "  /api/v1/products/p-1\t");
  auto text = head_of(res, context());
  CHECK(text.find("SAMEORIGIN") == std::string::npos);
  CHECK(text.find("default-src *") == std::string::npos);
  CHECK(text.find("x-frame-options: DENY\r\n") != std::string::npos);
  CHECK(text.find("X-Frame-Options") == std::string::npos);
  CHECK(text.find("Content-Security-Policy: default-src 'self'\r\n") !=
        std::string::npos);
  CHECK(text.find("Location: /api/v1/products/p-1\r\n") != std::string::npos);
}

TEST_CASE("Beast's parser reads the head back as the same answer") {
  namespace bhttp = boost::beast::http;
  for (int status : {200, 201, 202, 304, 404, 405, 426, 503}) {
    for (bool keep_alive : {true, false}) {
      auto res = product();
      res.status = status;
      res.set("Allow", "GET, HEAD");
      auto text = head_of(res, context(keep_alive));
      if (sends_body(res, false))
        text += res.body;
      bhttp::response_parser<bhttp::string_body> parser;
      boost::beast::error_code ec;
      // put() stops after the header; the body takes another.
      std::string_view rest = text;
      while (!rest.empty() && !ec && !parser.is_done())
        rest.remove_prefix(
            parser.put(boost::asio::buffer(rest.data(), rest.size()), ec));
      REQUIRE_FALSE(ec);
      CHECK(rest.empty());
      REQUIRE(parser.is_header_done());
      auto& msg = parser.get();
      CHECK(msg.result_int() == static_cast<unsigned>(status));
      CHECK(msg.keep_alive() == keep_alive);
      CHECK(msg[bhttp::field::etag] == "\"abc\"");
      CHECK(msg["X-Request-Id"] == "r-1");
      if (status != 304) {
        REQUIRE(parser.is_done());
        CHECK(msg.body() == res.body);
      }
    }
  }
}
