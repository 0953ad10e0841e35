// The storefront's policy and which origins may open a WebSocket (the
// headers of every answer: response_head_test).

#include "http/security_headers.hpp"

#include <catch2/catch.hpp>

#include "http/edge_limits.hpp"

using namespace berry::http;

TEST_CASE("the inline scripts of a page are found verbatim, src ones not") {
  auto page = std::string{"<head><script type=\"importmap\">\n {\"a\": 1}\n"
                          "</script><script type=\"module\" src=\"/js/a.js\">"
                          "</script><script>x()</script></head>"};
  auto found = inline_scripts(page);
  REQUIRE(found.size() == 2);
  CHECK(found[0] == "\n {\"a\": 1}\n");
  CHECK(found[1] == "x()");
}

TEST_CASE("a script's CSP hash is its SHA-256 in base64") {
  // echo -n 'alert(1)' | openssl dgst -sha256 -binary | base64
  CHECK(csp_hash("alert(1)") ==
        "'sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI='");
}

TEST_CASE("the storefront's policy allows its import map and no framing") {
  auto csp = content_security_policy(BERRY_SOURCE_DIR "/web");
  CHECK(csp.find("script-src 'self' 'sha256-") != std::string::npos);
  CHECK(csp.find("frame-ancestors 'none'") != std::string::npos);
  CHECK(csp.find("unsafe") == std::string::npos);
}

TEST_CASE(
    "a WebSocket may come from the server's own origin, or a listed one") {
  berry::abuse_config cfg;
  edge_limits own{cfg, {}};
  CHECK(own.origin_allowed("", "shop.example:8080"));
  CHECK(own.origin_allowed("http://shop.example:8080", "shop.example:8080"));
  CHECK(own.origin_allowed("https://SHOP.example", "shop.example"));
  CHECK_FALSE(own.origin_allowed("https://evil.example", "shop.example"));
  CHECK_FALSE(own.origin_allowed("null", "shop.example"));
  cfg.allowed_origins = {"https://shop.example"};
  edge_limits listed{cfg, {}};
  CHECK(listed.origin_allowed("https://shop.example", "10.0.0.1:8080"));
  CHECK_FALSE(listed.origin_allowed("http://10.0.0.1:8080", "10.0.0.1:8080"));
}

TEST_CASE("/metrics is for the listed networks only") {
  berry::abuse_config cfg;
  edge_limits limits{cfg, {}};
  CHECK(limits.may_read_metrics("127.0.0.1"));
  CHECK(limits.may_read_metrics("::1"));
  CHECK_FALSE(limits.may_read_metrics("10.1.2.3"));
  CHECK_FALSE(limits.may_read_metrics(""));
}
