// --max-connections against the open-file limit.

#include "http/fd_limit.hpp"

#include <catch2/catch.hpp>

using namespace berry::http;

namespace {
constexpr uint64_t inf = ~uint64_t{0};
}

TEST_CASE("a soft limit with room for every connection is kept") {
  auto p = plan_fd_limit(1000, 4096, 4096, inf);
  CHECK(p.action == fd_plan::keep);
  CHECK(p.max_connections == 1000);
  CHECK(plan_fd_limit(10000, inf, inf, inf).action == fd_plan::keep);
}

TEST_CASE("a low soft limit is raised as far as the connections need") {
  auto p = plan_fd_limit(10000, 1024, 524288, inf);
  CHECK(p.action == fd_plan::raise);
  CHECK(p.soft == 10000 + fd_reserve);
  CHECK(p.max_connections == 10000);
  CHECK(plan_fd_limit(10000, 1024, inf, inf).action == fd_plan::raise);
}

TEST_CASE("under a low hard limit the connection cap is lowered to fit") {
  auto p = plan_fd_limit(10000, 1024, 4096, inf);
  CHECK(p.action == fd_plan::cap);
  CHECK(p.soft == 4096);
  CHECK(p.max_connections == 4096 - fd_reserve);
  auto tiny = plan_fd_limit(10000, 100, 100, inf);
  CHECK(tiny.max_connections == 50);
}
