// The route table: matching, path parameters, 404 versus 405.

#include <catch2/catch.hpp>

#include "http/router.hpp"

using namespace berry::http;

namespace {

handler named(std::string* hit, std::string name) {
  return [hit, name](const request&, responder) { *hit = name; };
}

struct table {
  std::string hit;
  router r{{
      {"GET", "/healthz", named(&hit, "healthz")},
      {"GET", "/api/v1/products", named(&hit, "list")},
      {"POST", "/api/v1/products", named(&hit, "create")},
      {"GET", "/api/v1/products/{id}", named(&hit, "one")},
      {"PUT", "/api/v1/warehouses/{wid}/stock/{pid}", named(&hit, "stock")},
      {"*", "/api/{*rest}", named(&hit, "api404")},
      {"GET", "/{*path}", named(&hit, "static")},
  }};

  std::string run(const std::string& method, const std::string& path) {
    auto m = r.match(method, path);
    if (m.kind != route_match::found)
      return "none";
    m.matched->fn(request{}, {});
    return hit;
  }
};

} // namespace

TEST_CASE("a literal route is found by method and path") {
  table t;
  CHECK(t.run("GET", "/api/v1/products") == "list");
  CHECK(t.run("POST", "/api/v1/products") == "create");
  CHECK(t.run("GET", "/healthz") == "healthz");
}

TEST_CASE("path parameters are captured and percent-decoded") {
  table t;
  auto m = t.r.match("PUT", "/api/v1/warehouses/w%201/stock/p-7");
  REQUIRE(m.kind == route_match::found);
  CHECK(m.name == "/api/v1/warehouses/{wid}/stock/{pid}");
  REQUIRE(m.params.size() == 2);
  CHECK(m.params[0] == std::pair<std::string, std::string>{"wid", "w 1"});
  CHECK(m.params[1] == std::pair<std::string, std::string>{"pid", "p-7"});
}

TEST_CASE("the route name is the pattern, for metrics") {
  table t;
  CHECK(t.r.match("GET", "/api/v1/products/p-1").name ==
        "/api/v1/products/{id}");
}

TEST_CASE("a wrong method on a known path is 405 with the allowed methods") {
  table t;
  auto m = t.r.match("DELETE", "/api/v1/products");
  CHECK(m.kind == route_match::no_method);
  CHECK(m.allow == "GET, HEAD, POST");
}

TEST_CASE("HEAD is answered by a GET route") {
  table t;
  CHECK(t.run("HEAD", "/api/v1/products/p-1") == "one");
}

TEST_CASE("unknown api paths fall to the api catch-all, not the storefront") {
  table t;
  CHECK(t.run("GET", "/api/v1/nothing") == "api404");
  CHECK(t.run("DELETE", "/api/v1/nothing") == "api404");
  CHECK(t.run("GET", "/api") == "api404");
  CHECK(t.run("GET", "/api/v1/products/") == "api404");
  CHECK(t.run("GET", "/api/v1/products/p-1/extra") == "api404");
}

TEST_CASE("other paths go to the storefront, whose rest stays raw") {
  table t;
  auto m = t.r.match("GET", "/css/a%2Fb.css");
  REQUIRE(m.kind == route_match::found);
  CHECK(m.name == "/{*path}");
  CHECK(m.params.at(0).second == "css/a%2Fb.css");
  CHECK(t.run("GET", "/") == "static");
  CHECK(t.r.match("POST", "/index.html").kind == route_match::no_method);
}

TEST_CASE("without a catch-all an unknown path is no_path") {
  std::string hit;
  router r{{{"GET", "/healthz", named(&hit, "h")}}};
  auto m = r.match("GET", "/nope");
  CHECK(m.kind == route_match::no_path);
  CHECK(m.name == "unmatched");
  CHECK(r.match("GET", "/healthz/more").kind == route_match::no_path);
}

TEST_CASE("a malformed pattern is refused when the table is built") {
  using table = std::vector<route>;
  CHECK_THROWS_AS(router(table{{"GET", "nope", {}}}), std::invalid_argument);
  CHECK_THROWS_AS(router(table{{"GET", "/{*a}/b", {}}}), std::invalid_argument);
}

TEST_CASE("a literal that leads nowhere gives way to a parameter") {
  std::string hit;
  router r{{
      {"GET", "/a/b/c", named(&hit, "literal")},
      {"GET", "/a/{x}/d", named(&hit, "param")},
      {"GET", "/a/{x}/{*rest}", named(&hit, "param-rest")},
      {"GET", "/a/{*rest}", named(&hit, "rest")},
  }};
  auto name = [&](const char* path) {
    auto m = r.match("GET", path);
    return m.kind == route_match::found ? std::string{m.name} : "none";
  };
  CHECK(name("/a/b/c") == "/a/b/c");
  CHECK(name("/a/b/d") == "/a/{x}/d");
  CHECK(r.match("GET", "/a/b/d").params.at(0).second == "b");
  CHECK(name("/a/b/e") == "/a/{x}/{*rest}");
  CHECK(name("/a/b") == "/a/{x}/{*rest}");
  // An empty or undecodable segment is no parameter.
  CHECK(name("/a//d") == "/a/{*rest}");
  CHECK(name("/a/%ff/d") == "/a/{*rest}");
  CHECK(name("/a") == "/a/{*rest}");
  CHECK(r.match("GET", "/b").kind == route_match::no_path);
}
