// The client address: CIDR lists and X-Forwarded-For from trusted proxies.

#include "http/client_address.hpp"

#include <catch2/catch.hpp>

using namespace berry::http;

namespace {

ip_bytes ip(const char* text) {
  auto x = parse_ip(text);
  REQUIRE(x);
  return *x;
}

} // namespace

TEST_CASE("a CIDR list holds the addresses of its networks") {
  cidr_list l{{"10.0.0.0/8", "192.168.1.7", "fd00::/16"}};
  CHECK(l.contains(ip("10.200.3.4")));
  CHECK_FALSE(l.contains(ip("11.0.0.1")));
  CHECK(l.contains(ip("192.168.1.7")));
  CHECK_FALSE(l.contains(ip("192.168.1.8")));
  CHECK(l.contains(ip("fd00:1::1")));
  CHECK_FALSE(l.contains(ip("fe80::1")));
  CHECK(cidr_list{{"0.0.0.0/0"}}.contains(ip("8.8.8.8")));
  CHECK_FALSE(cidr_list{}.contains(ip("127.0.0.1")));
}

TEST_CASE("a malformed CIDR is refused at start") {
  for (auto bad : {"10.0.0.0/33", "10.0.0/8", "example.com", "::1/129",
                   "10.0.0.0/", "10.0.0.0/x"})
    CHECK_THROWS_AS(cidr_list({bad}), std::invalid_argument);
}

TEST_CASE("X-Forwarded-For is ignored unless the peer is a trusted proxy") {
  cidr_list none;
  CHECK(client_key(ip("127.0.0.2"), "1.2.3.4", none) == "127.0.0.2");
  cidr_list proxies{{"10.0.0.0/8"}};
  CHECK(client_key(ip("127.0.0.2"), "1.2.3.4", proxies) == "127.0.0.2");
  CHECK(client_key(ip("10.0.0.5"), "1.2.3.4", proxies) == "1.2.3.4");
}

TEST_CASE("the client is the rightmost address that is not a proxy") {
  cidr_list proxies{{"10.0.0.0/8"}};
  // A client can put anything on the left; only the right end is ours.
  CHECK(client_key(ip("10.0.0.5"), "6.6.6.6, 1.2.3.4, 10.0.0.9", proxies) ==
        "1.2.3.4");
  // Garbage stops the walk at the last hop known to be real.
  CHECK(client_key(ip("10.0.0.5"), "1.2.3.4, junk", proxies) == "10.0.0.5");
  CHECK(client_key(ip("10.0.0.5"), "", proxies) == "10.0.0.5");
}

TEST_CASE("an IPv6 client is keyed by its /64") {
  cidr_list none;
  CHECK(client_key(ip("2001:db8:1:2:aaaa::1"), "", none) ==
        client_key(ip("2001:db8:1:2:bbbb::9"), "", none));
  CHECK(client_key(ip("2001:db8:1:2::1"), "", none) !=
        client_key(ip("2001:db8:1:3::1"), "", none));
  CHECK(client_key(ip("::ffff:127.0.0.3"), "", none) == "127.0.0.3");
}
