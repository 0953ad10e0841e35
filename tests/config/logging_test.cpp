#include "config/logging.hpp"

#include <catch2/catch.hpp>

TEST_CASE("a log line's fields are valid JSON whatever the message holds") {
  auto out = berry::log::render(
      "say \"hi\"\n",
      {{"path", "/a\\b"}, {"status", 200}, {"ok", true}, {"ms", 1.5}});
  CHECK(out == R"("msg":"say \"hi\"\n","path":"/a\\b","status":200,)"
               R"("ok":true,"ms":1.5)");
}

TEST_CASE("control characters in log values are escaped") {
  CHECK(berry::log::escape(std::string("a\x01z")) == "a\\u0001z");
  CHECK(berry::log::escape("платье") == "платье");
}
