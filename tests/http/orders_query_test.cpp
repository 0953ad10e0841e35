#include "http/routes_orders.hpp"

#include <catch2/catch.hpp>

using namespace berry::http;

TEST_CASE("the order list reads page, page_size and include_unpaid") {
  auto q = parse_orders_query("page=3&page_size=100&include_unpaid=true");
  REQUIRE(q);
  CHECK(q->page == 3);
  CHECK(q->page_size == 100);
  CHECK(q->include_unpaid);
  auto plain = parse_orders_query("");
  REQUIRE(plain);
  CHECK(plain->page == 1);
  CHECK(plain->page_size == 20);
  CHECK_FALSE(plain->include_unpaid);
}

TEST_CASE("a page over 100 orders or a bad number is refused with 422") {
  for (auto bad : {"page_size=101", "page_size=0", "page=0", "page=-1",
                   "page=x", "include_unpaid=yes", "page_size=1e3"}) {
    auto q = parse_orders_query(bad);
    REQUIRE_FALSE(q);
    CHECK(q.error().status == 422);
    CHECK(q.error().slug == "validation");
  }
}
