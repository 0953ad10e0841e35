#include "cluster/etcd_json.hpp"

#include <catch2/catch.hpp>

using namespace berry::cluster;

// The answers below are what etcd 3.4.23's gateway sent (CLUSTER.md §4):
// int64 as strings, every default-valued field left out.

TEST_CASE("keys and values survive base64, bytes included") {
  for (const std::string& s : std::vector<std::string>{
           "", "a", "berry/nodes/n1", std::string("\0\xff\x01", 3),
           std::string("платье")})
    CHECK(base64_decode(base64_encode(s)) == s);
  CHECK(base64_encode("a") == "YQ==");
  CHECK_FALSE(base64_decode("not base64!").has_value());
}

TEST_CASE("a prefix's range ends at the prefix with its last byte raised") {
  CHECK(prefix_end("berry/") == "berry0");
  CHECK(prefix_end(std::string("a\xff", 2)) == "b");
  CHECK(prefix_end("") == std::string(1, '\0'));
}

TEST_CASE("a won claim has succeeded and its revision is the epoch") {
  auto r = etcd_json::parse_claim(
      R"({"header":{"revision":"7"},"succeeded":true,"responses":[{"response_put":{"header":{"revision":"7"}}}]})");
  CHECK(r.claimed);
  CHECK(r.revision == 7);
  CHECK_FALSE(r.holder);
}

TEST_CASE("a lost claim has no succeeded field and names the holder") {
  auto r = etcd_json::parse_claim(
      R"({"header":{"revision":"9"},"responses":[{"response_range":{"header":{"revision":"9"},"kvs":[{"key":"YQ==","create_revision":"7","mod_revision":"7","version":"1","value":"bjE=","lease":"42"}],"count":"1"}}]})");
  CHECK_FALSE(r.claimed);
  REQUIRE(r.holder);
  CHECK(r.holder->key == "a");
  CHECK(r.holder->value == "n1");
  CHECK(r.holder->create_revision == 7);
  CHECK(r.holder->lease == 42);
}

TEST_CASE("a claim asks for create_revision 0 and puts under the lease") {
  auto body = etcd_json::claim("k", "v", 5);
  CHECK(body.find(R"("create_revision":"0")") != std::string::npos);
  CHECK(body.find(R"("lease":"5")") != std::string::npos);
  CHECK(body.find(R"("target":"CREATE")") != std::string::npos);
}

TEST_CASE("a watch line without a type is a put, a DELETE carries prev_kv") {
  auto put = etcd_json::parse_watch_line(
      R"({"result":{"header":{"revision":"3"},"events":[{"kv":{"key":"YQ==","create_revision":"2","mod_revision":"3","version":"2","value":"Yw=="}}]}})");
  CHECK(put.what == watch_update::kind::events);
  CHECK(put.revision == 3);
  REQUIRE(put.events.size() == 1);
  CHECK_FALSE(put.events[0].deleted);
  CHECK(put.events[0].kv.value == "c");
  auto del = etcd_json::parse_watch_line(
      R"({"result":{"header":{"revision":"4"},"events":[{"type":"DELETE","kv":{"key":"YQ==","mod_revision":"4"},"prev_kv":{"key":"YQ==","value":"Yw=="}}]}})");
  REQUIRE(del.events.size() == 1);
  CHECK(del.events[0].deleted);
  REQUIRE(del.events[0].prev_kv);
  CHECK(del.events[0].prev_kv->value == "c");
}

TEST_CASE("a watch's first line says created, a compaction cancels it") {
  CHECK(etcd_json::parse_watch_line(
            R"({"result":{"header":{"revision":"2"},"created":true}})")
            .what == watch_update::kind::created);
  auto c = etcd_json::parse_watch_line(
      R"({"result":{"header":{"revision":"9"},"canceled":true,"compact_revision":"3"}})");
  CHECK(c.what == watch_update::kind::canceled);
  CHECK(c.compact_revision == 3);
  CHECK_THROWS(etcd_json::parse_watch_line(R"({"error":{"code":14}})"));
}

TEST_CASE("a keepalive of a lost lease answers without a TTL: 0") {
  CHECK(etcd_json::parse_keepalive(
            R"({"result":{"header":{"revision":"2"},"ID":"1","TTL":"3"}})") ==
        3);
  CHECK(etcd_json::parse_keepalive(
            R"({"result":{"header":{"revision":"2"},"ID":"1"}})") == 0);
}

TEST_CASE("a gateway error keeps its gRPC code and message") {
  auto e = etcd_json::parse_error(
      404,
      R"({"error":"etcdserver: requested lease not found","code":5,"message":"etcdserver: requested lease not found"})");
  CHECK(e.http_status == 404);
  CHECK(e.code == 5);
  CHECK(e.message == "etcdserver: requested lease not found");
  CHECK(etcd_json::parse_error(502, "<html>").code == 0);
}

TEST_CASE("a lease id travels as a string, as the gateway reads int64") {
  CHECK(etcd_json::lease_id(4111120479946214665) ==
        R"({"ID":"4111120479946214665"})");
  CHECK(
      etcd_json::parse_grant(R"({"ID":"4111120479946214665","TTL":"2"})").id ==
      4111120479946214665);
}
