// Request ids and header lookups of the edge's own messages.

#include <catch2/catch.hpp>

#include "http/message.hpp"

using namespace berry::http;

TEST_CASE("a client's request id of visible ASCII is kept") {
  CHECK(pick_request_id("abc-123") == "abc-123");
  CHECK(pick_request_id(std::string(64, 'x')) == std::string(64, 'x'));
}

TEST_CASE("a missing, long or odd request id is replaced by 16 hex digits") {
  for (std::string bad : {std::string{}, std::string(65, 'x'),
                          std::string{"a b"}, std::string{"ид"}}) {
    auto id = pick_request_id(bad);
    CHECK(id.size() == 16);
    CHECK(id.find_first_not_of("0123456789abcdef") == std::string::npos);
  }
  CHECK(pick_request_id("") != pick_request_id(""));
}

TEST_CASE("headers are found whatever their case") {
  request req;
  req.headers = {{"If-None-Match", "\"x\""}, {"X-Request-Id", "r1"}};
  CHECK(req.header_value("if-none-match") == "\"x\"");
  CHECK(req.header_value("X-REQUEST-ID") == "r1");
  CHECK(req.header_value("Authorization").empty());
  response res;
  res.set("ETag", "\"a\"");
  res.set("etag", "\"b\"");
  CHECK(res.headers.size() == 1);
  CHECK(res.header_value("ETAG") == "\"b\"");
}

TEST_CASE("a responder delivers only its first response") {
  std::vector<int> got;
  auto respond = make_responder([&](response r) { got.push_back(r.status); },
                                json_response("{}", 500));
  auto copy = respond;
  respond(json_response("{}", 200));
  copy(json_response("{}", 404));
  respond = nullptr;
  copy = nullptr;
  CHECK(got == std::vector<int>{200});
}

TEST_CASE("a responder dropped without an answer delivers the fallback") {
  std::vector<int> got;
  {
    auto respond = make_responder([&](response r) { got.push_back(r.status); },
                                  json_response("{}", 500));
    auto copy = respond;
  }
  CHECK(got == std::vector<int>{500});
}
