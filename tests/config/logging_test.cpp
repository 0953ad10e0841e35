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

TEST_CASE("bytes that are not UTF-8 become U+FFFD, so a line stays valid") {
  using berry::log::escape;
  // A request path may hold any bytes: a lone continuation byte, a cut
  // sequence, an overlong slash, a surrogate, a byte never valid in UTF-8.
  CHECK(escape(std::string("/a\x80z")) == "/a\\ufffdz");
  CHECK(escape(std::string("/\xd0")) == "/\\ufffd");
  CHECK(escape(std::string("/\xc0\xaf")) == "/\\ufffd\\ufffd");
  CHECK(escape(std::string("\xed\xa0\x80")) == "\\ufffd\\ufffd\\ufffd");
  CHECK(escape(std::string("\xff")) == "\\ufffd");
  CHECK(escape("ё€𝄞") == "ё€𝄞");
  CHECK(escape(std::string("\x7f")) == "\\u007f");
}
