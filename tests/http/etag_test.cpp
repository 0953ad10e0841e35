// Strong ETags and the If-None-Match rules.

#include <catch2/catch.hpp>

#include "http/etag.hpp"

using namespace berry::http;

TEST_CASE("an ETag is a quoted 16-digit hex hash of the body") {
  auto e = make_etag("hello");
  CHECK(e.size() == 18);
  CHECK(e.front() == '"');
  CHECK(e.back() == '"');
  CHECK(e == make_etag("hello"));
  CHECK(e != make_etag("hellp"));
  // FNV-1a 64 of "" is its offset basis.
  CHECK(make_etag("") == "\"cbf29ce484222325\"");
}

TEST_CASE("If-None-Match with the same tag matches") {
  auto e = make_etag("body");
  CHECK(if_none_match(e, e));
  CHECK_FALSE(if_none_match(make_etag("other"), e));
  CHECK_FALSE(if_none_match("", e));
}

TEST_CASE("If-None-Match matches any tag of a list") {
  auto e = make_etag("body");
  CHECK(if_none_match("\"aaa\", " + e + " ,\"bbb\"", e));
  CHECK_FALSE(if_none_match("\"aaa\", \"bbb\"", e));
}

TEST_CASE("If-None-Match * matches anything") {
  CHECK(if_none_match("*", make_etag("x")));
  CHECK(if_none_match(" * ", make_etag("x")));
}

TEST_CASE("If-None-Match compares weakly: a W/ prefix is ignored") {
  auto e = make_etag("body");
  CHECK(if_none_match("W/" + e, e));
  CHECK(if_none_match(e, "W/" + e));
  CHECK_FALSE(if_none_match("W/\"other\"", e));
}

TEST_CASE("an unquoted fragment of a tag does not match") {
  auto e = make_etag("body");
  CHECK_FALSE(if_none_match(e.substr(1, 16), e));
}
