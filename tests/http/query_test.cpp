// Percent-decoding, query strings and the products query.

#include <catch2/catch.hpp>

#include "http/query.hpp"

using namespace berry::http;

namespace {

// The problem's detail for a query that must fail.
std::string failure(const std::string& q) {
  auto r = parse_products_query(q);
  REQUIRE_FALSE(r);
  CHECK(r.error().status == 400);
  CHECK(r.error().slug == "validation");
  return r.error().detail;
}

} // namespace

TEST_CASE("percent-encoded Cyrillic decodes to UTF-8") {
  auto s = percent_decode("%D0%BF%D0%BB%D0%B0%D1%82%D1%8C%D0%B5");
  REQUIRE(s);
  CHECK(*s == "платье");
}

TEST_CASE("plus is a space in queries only") {
  CHECK(*percent_decode("a+b", true) == "a b");
  CHECK(*percent_decode("a+b", false) == "a+b");
  CHECK(*percent_decode("a%2Bb", true) == "a+b");
}

TEST_CASE("malformed escapes and invalid UTF-8 do not decode") {
  CHECK_FALSE(percent_decode("%"));
  CHECK_FALSE(percent_decode("%4"));
  CHECK_FALSE(percent_decode("%zz"));
  CHECK_FALSE(percent_decode("%D0"));       // a cut sequence
  CHECK_FALSE(percent_decode("%C0%AF"));    // an overlong '/'
  CHECK_FALSE(percent_decode("%ED%A0%80")); // a surrogate
  CHECK(percent_decode("%F0%9F%8D%93"));    // a strawberry
}

TEST_CASE("a query string splits into decoded pairs in order") {
  auto r = parse_query("q=%D1%87%D0%B0%D0%B9+%D0%BD%D0%B0&flag&&x=1=2");
  REQUIRE(r);
  REQUIRE(r->size() == 3);
  CHECK((*r)[0] == std::pair<std::string, std::string>{"q", "чай на"});
  CHECK((*r)[1] == std::pair<std::string, std::string>{"flag", ""});
  CHECK((*r)[2] == std::pair<std::string, std::string>{"x", "1=2"});
}

TEST_CASE("the products query has defaults") {
  auto r = parse_products_query("");
  REQUIRE(r);
  CHECK(r->q.empty());
  CHECK(r->page == 1);
  CHECK(r->page_size == 20);
  CHECK(r->sort == sort_order::relevance);
  CHECK_FALSE(r->min_price);
  CHECK_FALSE(r->max_price);
}

TEST_CASE("the products query reads every parameter") {
  auto r = parse_products_query("q=+%D0%BF%D0%BB%D0%B0%D1%82%D1%8C%D0%B5+"
                                "&category=c-2&min_price=100&max_price=5000"
                                "&page=3&page_size=100&sort=price_desc");
  REQUIRE(r);
  CHECK(r->q == "платье");
  CHECK(r->category == "c-2");
  CHECK(*r->min_price == 100);
  CHECK(*r->max_price == 5000);
  CHECK(r->page == 3);
  CHECK(r->page_size == 100);
  CHECK(r->sort == sort_order::price_desc);
}

TEST_CASE("empty parameters count as absent, as in the API's template") {
  auto r = parse_products_query("q=&category=&min_price=&max_price=&page=1"
                                "&page_size=20");
  REQUIRE(r);
  CHECK_FALSE(r->min_price);
  CHECK(r->category.empty());
}

TEST_CASE("every bad products parameter is a validation error naming it") {
  CHECK_THAT(failure("page=0"), Catch::StartsWith("page:"));
  CHECK_THAT(failure("page=-1"), Catch::StartsWith("page:"));
  CHECK_THAT(failure("page=two"), Catch::StartsWith("page:"));
  CHECK_THAT(failure("page=1.5"), Catch::StartsWith("page:"));
  CHECK_THAT(failure("page_size=0"), Catch::StartsWith("page_size:"));
  CHECK_THAT(failure("page_size=101"), Catch::StartsWith("page_size:"));
  CHECK_THAT(failure("page_size=1000"), Catch::StartsWith("page_size:"));
  CHECK_THAT(failure("min_price=-5"), Catch::StartsWith("min_price:"));
  CHECK_THAT(failure("min_price=1e3"), Catch::StartsWith("min_price:"));
  CHECK_THAT(failure("max_price=abc"), Catch::StartsWith("max_price:"));
  CHECK_THAT(failure("max_price=99999999999999999999"),
             Catch::StartsWith("max_price:"));
  CHECK_THAT(failure("min_price=500&max_price=100"),
             Catch::Contains("max_price"));
  CHECK_THAT(failure("sort=sideways"), Catch::StartsWith("sort:"));
  CHECK_THAT(failure("q=%FF"), Catch::StartsWith("q:"));
}

TEST_CASE("the first of repeated parameters wins") {
  auto r = parse_products_query("page=2&page=5");
  REQUIRE(r);
  CHECK(r->page == 2);
}
