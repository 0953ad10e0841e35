#include "config/logging.hpp"

#include <cstdio>
#include <cstdlib>
#include <poll.h>
#include <string>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>

TEST_CASE("a log line's fields are valid JSON whatever the message holds") {
  auto out = berry::log::render(
      "say \"hi\"\n",
      {{"path", "/a\\b"}, {"status", 200}, {"ok", true}, {"ms", 1.5}});
  CHECK(out == R"("msg":"say \"hi\"\n","path":"/a\\b","status":200,)"
               R"("ok":true,"ms":1.5)");
}

TEST_CASE("numbers in a log line are written as printf writes them: integers "
          "in full, a duration with six significant digits") {
  for (double d : {0.0, 1.5, 0.004569, 0.0000123456789, 123456789.0, 12.25,
                   1e-7, 99999.95, -3.75, 1234567.0}) {
    char want[32];
    std::snprintf(want, sizeof want, "%.6g", d);
    CHECK(berry::log::render("m", {{"ms", d}}) ==
          std::string(R"("msg":"m","ms":)") + want);
  }
  CHECK(berry::log::render("m", {{"n", int64_t{-9223372036854775807 - 1}}}) ==
        R"("msg":"m","n":-9223372036854775808)");
  // Appended after what is there.
  std::string out = "x";
  berry::log::append_rendered(out, "m", {{"k", "v"}});
  CHECK(out == R"(x"msg":"m","k":"v")");
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

namespace {

// Everything the child wrote to its standard error until it closed it.
std::string read_to_end(int fd) {
  std::string out;
  char buf[4096];
  for (ssize_t n; (n = ::read(fd, buf, sizeof buf)) > 0;)
    out.append(buf, static_cast<size_t>(n));
  return out;
}

size_t count(const std::string& s, const std::string& what) {
  size_t n = 0;
  for (auto at = s.find(what); at != std::string::npos;
       at = s.find(what, at + 1))
    ++n;
  return n;
}

} // namespace

TEST_CASE("log lines are written in blocks: a warning brings out the lines "
          "before it at once, and exit brings out the rest, in order") {
  int err[2], go[2];
  REQUIRE(::pipe(err) == 0);
  REQUIRE(::pipe(go) == 0);
  pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    ::dup2(err[1], STDERR_FILENO);
    ::close(err[0]);
    ::close(err[1]);
    ::close(go[1]);
    berry::log::init("info");
    berry::log::info("first");
    berry::log::warn("second");
    berry::log::info("third");
    char c;
    (void)!::read(go[0], &c, 1); // until the parent has read the first two
    berry::log::info("fourth");
    std::exit(0);
  }
  ::close(err[1]);
  ::close(go[0]);
  std::string seen;
  char buf[4096];
  while (count(seen, "\"msg\":") < 2) {
    // Without the warning's flush nothing comes: fail, do not hang.
    pollfd p{err[0], POLLIN, 0};
    REQUIRE(::poll(&p, 1, 10000) == 1);
    auto n = ::read(err[0], buf, sizeof buf);
    REQUIRE(n > 0);
    seen.append(buf, static_cast<size_t>(n));
  }
  CHECK(seen.find("\"msg\":\"first\"") < seen.find("\"msg\":\"second\""));
  (void)!::write(go[1], "x", 1);
  ::close(go[1]);
  seen += read_to_end(err[0]);
  ::close(err[0]);
  int status = 0;
  ::waitpid(child, &status, 0);
  CHECK(WIFEXITED(status));
  CHECK(count(seen, "\n") == 4);
  CHECK(seen.find("second") < seen.find("third"));
  CHECK(seen.find("third") < seen.find("fourth"));
}
