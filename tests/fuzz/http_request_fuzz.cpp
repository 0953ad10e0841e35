// Raw bytes as a client sends them on one keep-alive connection, through
// the request path of http_session::handle: Beast's parser (the server's
// header and body limits), to_request, the client address (X-Forwarded-For
// from a trusted proxy), the route table, the rate limits, the query and
// the bearer token, up to the answer the session writes. Whatever the
// bytes: no crash, no throw, every answer a problem+json that parses, its
// head and body read back whole by Beast's parser, and every log line
// valid JSON.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include <boost/beast/websocket.hpp>

#include "config/logging.hpp"
#include "http/auth.hpp"
#include "http/beast_message.hpp"
#include "http/edge_limits.hpp"
#include "http/gzip.hpp"
#include "http/response_head.hpp"
#include "http/routes.hpp"
#include "http/security_headers.hpp"
#include "tests/fuzz/fuzz_check.hpp"

using namespace berry;
using namespace berry::http;
using fuzz::expect;

namespace {

/// The edge's parts that outlive one input, as http::server wires them.
struct edge {
  server_config cfg;
  token_service tokens{std::string(32, 'k')};
  route_env env;
  router routes;
  ip_bytes proxy = *parse_ip("10.0.0.1");

  edge() : routes(setup()) {}

  std::vector<route> setup() {
    cfg.abuse.trusted_proxies = {"10.0.0.0/8", "::1/128"};
    cfg.abuse.table_size = 4; // so that the tables evict
    env.ctx.cfg = &cfg;
    env.ctx.tokens = &tokens;
    return make_routes(env);
  }
};

edge& the_edge() {
  static edge e;
  return e;
}

void expect_log_line(const request& req, int status) {
  auto line = log::render("request", {{"request_id", req.request_id},
                                      {"method", req.method},
                                      {"path", req.path},
                                      {"client", req.client},
                                      {"status", status}});
  fuzz::expect_json("{" + line + "}", "a log line is JSON");
}

/// The answer as the session writes it, read back by Beast's parser.
void send(response res, bool head, bool private_answer = false) {
  if (res.content_type == "application/problem+json")
    fuzz::expect_json(res.body, "a problem body is JSON");
  head_context cx;
  cx.head = head;
  cx.private_answer = private_answer;
  cx.request_id = "r-1";
  cx.csp = "default-src 'self'";
  std::string text;
  write_head(res, cx, text);
  if (sends_body(res, head))
    text += res.body;
  bhttp::response_parser<bhttp::string_body> parser;
  parser.skip(head);
  beast::error_code ec;
  std::string_view rest = text;
  while (!rest.empty() && !ec && !parser.is_done())
    rest.remove_prefix(parser.put(net::buffer(rest.data(), rest.size()), ec));
  expect(!ec && parser.is_done() && rest.empty(), "an answer parses whole");
  expect(parser.get().result_int() == static_cast<unsigned>(res.status),
         "an answer has its status");
}

/// What http_session::handle does with one complete request.
void handle(edge& e, edge_limits& limits, beast_request msg) {
  bool head = msg.method() == bhttp::verb::head;
  bool upgrade = beast::websocket::is_upgrade(msg);
  auto ip = limits.client_of(e.proxy, forwarded_for(msg));
  auto req = to_request(std::move(msg));
  req.client = limit_key(ip);
  req.client_ip = ip_text(ip);
  expect(!req.request_id.empty(), "every request has an id");
  if (req.path.empty() || req.path.front() != '/') {
    expect_log_line(req, 400);
    return send(problem_response(make_problem(400, "bad-request", "no path"),
                                 req.request_id),
                head);
  }
  auto m = e.routes.match(req.method, req.path);
  expect(!m.name.empty(), "every request has a route label");
  if (auto refusal = limits.admit(req, m.matched ? m.matched->limit
                                                 : rate_class::standard))
    return send(std::move(*refusal), head);
  expect_log_line(req, 200);
  if (m.kind == route_match::no_method)
    return send(problem_response(make_problem(405, "method-not-allowed",
                                              req.method + " is not allowed"),
                                 req.request_id),
                head);
  bool private_answer = carries_credentials(req);
  if (m.kind == route_match::found && upgrade && m.matched->upgrade) {
    expect(m.name == "/api/v1/orders/{id}/track", "only tracking upgrades");
    limits.origin_allowed(req.header_value("Origin"), req.header_value("Host"));
  }
  if (auto q = parse_query(req.query); !q)
    fuzz::expect_client_error(q.error());
  if (auto who = authenticate(e.env, req); !who)
    expect(who.error().status == 401, "a bad token is a 401");
  accepts_gzip(req.header_value("Accept-Encoding"));
  auto res = cached_json(req, "{}", "\"v1-abc\"");
  send(std::move(res), head, private_answer);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto& e = the_edge();
  // A fixed clock: the same input takes the same tokens every run.
  edge_limits limits{e.cfg.abuse,
                     [&e](const request& req) {
                       auto who = authenticate(e.env, req);
                       return who ? who->user_id : std::string{};
                     },
                     [] { return rate_clock::time_point{}; }};
  std::string_view rest{reinterpret_cast<const char*>(data), size};
  for (int n = 0; n < 16 && !rest.empty(); ++n) {
    bhttp::request_parser<bhttp::string_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(e.cfg.header_limit));
    parser.body_limit(e.cfg.body_limit);
    parser.eager(true);
    beast::error_code ec;
    while (!ec && !parser.is_done() && !rest.empty()) {
      auto used = parser.put(net::buffer(rest.data(), rest.size()), ec);
      rest.remove_prefix(used);
      if (ec == bhttp::error::need_more)
        return 0; // the session would wait for more, then time out
      if (used == 0 && !ec)
        return 0;
    }
    if (ec || !parser.is_done()) {
      // The session answers 400, 413 or 431 from the start line it has.
      auto target = parser.get().target();
      request bad;
      bad.method = std::string{parser.get().method_string()};
      bad.path = std::string{target.substr(0, target.find('?'))};
      bad.request_id = pick_request_id({});
      expect_log_line(bad, 400);
      return 0;
    }
    bool keep_alive = parser.get().keep_alive();
    handle(e, limits, parser.release());
    if (!keep_alive)
      return 0;
  }
  return 0;
}
