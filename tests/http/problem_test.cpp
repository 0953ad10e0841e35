// problem+json bodies and the one error -> status map.

#include <catch2/catch.hpp>

#include <caf/message.hpp>
#include <caf/sec.hpp>
#include <nlohmann/json.hpp>

#include "http/json_body.hpp"
#include "http/problem.hpp"

using namespace berry::http;
using berry::berry_errc;

TEST_CASE("a problem body has type, title, status and detail") {
  auto p = make_problem(berry_errc::out_of_stock, "p-1: 0 left");
  auto j = nlohmann::json::parse(render_problem(p));
  CHECK(j["type"] == "https://berry.example/problems/out-of-stock");
  CHECK(j["title"] == "Out of stock");
  CHECK(j["status"] == 409);
  CHECK(j["detail"] == "p-1: 0 left");
  CHECK_FALSE(j.contains("request_id"));
}

TEST_CASE("a problem carries the request id when known") {
  auto p = make_problem(413, "payload-too-large", "too big");
  auto j = nlohmann::json::parse(render_problem(p, "abc123"));
  CHECK(j["request_id"] == "abc123");
  CHECK(j["type"] == "https://berry.example/problems/payload-too-large");
  CHECK(j["status"] == 413);
}

TEST_CASE("a problem response is application/problem+json with its status") {
  auto res = problem_response(make_problem(berry_errc::not_found, "x"));
  CHECK(res.status == 404);
  CHECK(res.content_type == "application/problem+json");
}

TEST_CASE("every error code maps to its HTTP status") {
  CHECK(http_status(berry_errc::not_found) == 404);
  CHECK(http_status(berry_errc::validation) == 422);
  CHECK(http_status(berry_errc::conflict) == 409);
  CHECK(http_status(berry_errc::out_of_stock) == 409);
  CHECK(http_status(berry_errc::payment_declined) == 402);
  CHECK(http_status(berry_errc::idempotency_key_reuse) == 422);
  CHECK(http_status(berry_errc::idempotency_key_in_use) == 409);
  CHECK(http_status(berry_errc::unauthorized) == 401);
  CHECK(http_status(berry_errc::forbidden) == 403);
  CHECK(http_status(berry_errc::rate_limited) == 429);
  CHECK(http_status(berry_errc::unavailable) == 503);
  CHECK(http_status(berry_errc::timeout) == 504);
  CHECK(http_status(berry_errc::storage_failure) == 500);
  CHECK(http_status(berry_errc::internal) == 500);
}

TEST_CASE("an actor's berry error keeps its status, slug and reason") {
  auto err = caf::make_error(berry_errc::payment_declined,
                             std::string{"card declined"});
  auto p = make_problem(err);
  CHECK(p.status == 402);
  CHECK(p.slug == "payment-declined");
  CHECK(p.detail == "card declined");
}

TEST_CASE("a storage failure's text goes to the log, never to the client") {
  auto err =
      caf::make_error(berry_errc::storage_failure,
                      std::string{"CHECK constraint failed: total >= 0"});
  auto p = make_problem(err);
  CHECK(p.status == 500);
  CHECK(p.logged == "CHECK constraint failed: total >= 0");
  auto res = problem_response(p, "r-1");
  CHECK(res.status == 500);
  CHECK(res.body.find("CHECK") == std::string::npos);
  CHECK(res.body.find("r-1") != std::string::npos);
}

TEST_CASE("a timed-out actor request is a 504") {
  auto p = make_problem(caf::make_error(caf::sec::request_timeout));
  CHECK(p.status == 504);
  CHECK(p.slug == "timeout");
}

TEST_CASE("an unparsable JSON body is a 400 bad-request") {
  request req;
  req.body = R"({"title": "Чайник", "price": )";
  auto r = parse_json_body(req);
  REQUIRE_FALSE(r);
  CHECK(r.error().status == 400);
  CHECK(r.error().slug == "bad-request");
}

TEST_CASE("a JSON body must be an object") {
  request req;
  req.body = "[1, 2]";
  CHECK_FALSE(parse_json_body(req));
  req.body = "";
  CHECK_FALSE(parse_json_body(req));
  req.body = R"({"title": "Чайник"})";
  auto r = parse_json_body(req);
  REQUIRE(r);
  CHECK((*r)["title"] == "Чайник");
}
