#include "http/http_session.hpp"

#include <array>
#include <exception>

#include "config/logging.hpp"
#include "http/beast_message.hpp"
#include "http/gzip.hpp"
#include "http/metrics.hpp"
#include "http/problem.hpp"
#include "http/response_head.hpp"
#include "http/security_headers.hpp"
#include "http/websocket_session.hpp"

namespace berry::http {

namespace {

// How long a closing connection keeps reading (and dropping) what the client
// still sends, so the client sees our error response and not a reset.
constexpr auto linger_time = std::chrono::seconds(2);

// What a watching read takes at most: the start of a pipelined request.
constexpr std::size_t watch_bytes = 512;

// Known methods keep their name as a metrics label; others share one.
std::string_view method_label(std::string_view m) {
  for (auto known :
       {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
    if (m == known)
      return m;
  return "OTHER";
}

bool is_parse_error(const beast::error_code& ec) {
  return ec.category() ==
         bhttp::make_error_code(bhttp::error::bad_target).category();
}

} // namespace

http_session::http_session(tcp::socket&& socket,
                           std::shared_ptr<edge_state> state)
    : stream_(std::move(socket)), state_(std::move(state)) {
  beast::error_code ec;
  auto remote = stream_.socket().remote_endpoint(ec);
  if (auto ip = parse_ip(ec ? "::" : remote.address().to_string()))
    peer_ = *ip;
  continue_.result(bhttp::status::continue_);
  continue_.version(11);
}

http_session::~http_session() {
  state_->remove_session(key_);
}

void http_session::run() {
  key_ = state_->add_session(weak_from_this());
  net::dispatch(
      stream_.get_executor(),
      beast::bind_front_handler(&http_session::do_read, shared_from_this()));
}

void http_session::drain() {
  net::post(stream_.get_executor(), [self = shared_from_this()] {
    self->draining_ = true;
    // Nothing of a next request has arrived: nobody waits for this one.
    if (self->idle_ && self->buffer_.size() == 0 && self->parser_ &&
        !self->parser_->got_some())
      self->stream_.close();
  });
}

void http_session::force_close() {
  net::post(stream_.get_executor(),
            [self = shared_from_this()] { self->stream_.close(); });
}

void http_session::do_read() {
  if (draining_ || state_->draining) {
    do_close(false);
    return;
  }
  auto& cfg = *state_->ctx.cfg;
  parser_.emplace();
  parser_->header_limit(static_cast<std::uint32_t>(cfg.header_limit));
  parser_->body_limit(cfg.body_limit);
  idle_ = true;
  // One deadline for the whole request: a silent or trickling client is cut.
  stream_.expires_after(cfg.idle_timeout);
  bhttp::async_read_header(
      stream_, buffer_, *parser_,
      beast::bind_front_handler(&http_session::on_header, shared_from_this()));
}

void http_session::on_header(beast::error_code ec, std::size_t) {
  idle_ = false;
  if (ec)
    return on_read_error(ec);
  started_ = std::chrono::steady_clock::now();
  auto& msg = parser_->get();
  if (iequals(msg[bhttp::field::expect], "100-continue") &&
      !parser_->is_done()) {
    bhttp::async_write(
        stream_, continue_,
        [self = shared_from_this()](beast::error_code ec, std::size_t) {
          if (ec)
            return self->do_close(false);
          self->read_body();
        });
    return;
  }
  read_body();
}

void http_session::read_body() {
  if (parser_->is_done())
    return on_read({}, 0);
  bhttp::async_read(
      stream_, buffer_, *parser_,
      beast::bind_front_handler(&http_session::on_read, shared_from_this()));
}

void http_session::on_read(beast::error_code ec, std::size_t) {
  if (ec)
    return on_read_error(ec);
  stream_.expires_never();
  handle();
}

void http_session::on_read_error(beast::error_code ec) {
  if (ec == bhttp::error::header_limit)
    return fail_request(431, "headers-too-large",
                        "request headers are over the limit");
  if (ec == bhttp::error::body_limit)
    return fail_request(413, "payload-too-large",
                        "the request body is over the limit");
  if (ec == bhttp::error::end_of_stream ||
      ec == net::error::operation_aborted || ec == beast::error::timeout ||
      !is_parse_error(ec))
    return do_close(false);
  fail_request(400, "bad-request", "malformed request: " + ec.message());
}

void http_session::handle() {
  private_ = false;
  head_ = parser_->get().method() == bhttp::verb::head;
  keep_alive_ = parser_->get().keep_alive();
  version_ = parser_->get().version();
  // A WebSocket handshake needs Beast's own request; keep a copy.
  std::optional<bhttp::request<bhttp::string_body>> upgrade;
  if (beast::websocket::is_upgrade(parser_->get()))
    upgrade.emplace(parser_->get());
  auto ip = state_->limits->client_of(peer_, forwarded_for(parser_->get()));
  // The same client as the connection's last request (as it nearly always
  // is): its texts are at hand.
  if (ip != client_bytes_ || client_ip_.empty()) {
    client_bytes_ = ip;
    client_ = limit_key(ip);
    client_ip_ = ip_text(ip);
  }
  auto req = to_request(parser_->release());
  req.client = client_;
  req.client_ip = client_ip_;
  request_id_ = req.request_id;
  method_ = req.method;
  path_ = req.path;
  if (req.path.empty() || req.path.front() != '/') {
    route_ = "unmatched";
    return send(problem_response(
        make_problem(400, "bad-request", "the target must be a path"),
        request_id_));
  }
  auto m = state_->routes.match(req.method, req.path);
  route_ = m.name;
  if (auto refusal = state_->limits->admit(
          req, m.matched ? m.matched->limit : rate_class::standard))
    return send(std::move(*refusal));
  if (m.kind == route_match::no_path)
    return send(problem_response(
        make_problem(berry_errc::not_found, "no such path"), request_id_));
  if (m.kind == route_match::no_method) {
    auto res =
        problem_response(make_problem(405, "method-not-allowed",
                                      req.method + " is not allowed here"),
                         request_id_);
    res.set("Allow", m.allow);
    return send(std::move(res));
  }
  private_ = carries_credentials(req) || m.matched->limit == rate_class::auth;
  req.params = std::move(m.params);
  gone_.reset();
  if (m.matched->watch_client)
    req.client_gone = gone_ = std::make_shared<std::atomic<bool>>(false);
  if (upgrade && m.matched->upgrade)
    return run_upgrade(*m.matched, req, std::move(*upgrade));
  run_handler(*m.matched, req);
}

void http_session::run_upgrade(const route& r, const request& req,
                               bhttp::request<bhttp::string_body> upgrade) {
  if (!state_->limits->origin_allowed(upgrade[bhttp::field::origin],
                                      upgrade[bhttp::field::host]))
    return send(problem_response(
        make_problem(berry_errc::forbidden,
                     "WebSockets from this origin are not allowed"),
        request_id_));
  // The verdict may come from any thread; it is acted on from the strand.
  auto held =
      std::make_shared<bhttp::request<bhttp::string_body>>(std::move(upgrade));
  auto respond = [self = shared_from_this(), held](upgrade_verdict v) {
    net::post(self->stream_.get_executor(),
              [self, held, v = std::move(v)]() mutable {
                if (!v.accept)
                  return self->send(std::move(v.refusal));
                self->accept_websocket(std::move(*held), std::move(v.accept));
              });
  };
  try {
    r.upgrade(req, respond);
  } catch (const std::exception& e) {
    log::error(
        "upgrade handler failed",
        {{"request_id", request_id_}, {"route", route_}, {"error", e.what()}});
    send(problem_response(make_problem(berry_errc::internal, "internal error"),
                          request_id_));
  }
}

void http_session::accept_websocket(bhttp::request<bhttp::string_body> req,
                                    std::shared_ptr<ws_endpoint> endpoint) {
  record_request(101);
  // The connection is the WebSocket's from now on; this session ends.
  std::make_shared<websocket_session>(std::move(stream_), state_,
                                      std::move(endpoint))
      ->run(std::move(req));
}

thread_local http_session* http_session::handling = nullptr;

// What every copy of a request's responder shares: the first answer goes
// to the client, and a responder dropped unanswered sends a 500.
struct http_session::reply {
  std::shared_ptr<http_session> self;
  bool gzip = false;
  std::atomic<bool> done{false};

  void answer(response res) {
    if (done.exchange(true))
      return;
    // Compressed on the answering thread, off the connection's strand.
    gzip_response(res, gzip);
    // Answered from inside the handler (it had everything at hand): sent
    // once the handler returns, without a hop through the strand's queue.
    if (handling == self.get()) {
      self->answered_.emplace(std::move(res));
      return;
    }
    net::post(self->stream_.get_executor(),
              [self = self, res = std::move(res)]() mutable {
                self->send(std::move(res));
              });
  }

  ~reply() {
    if (done.load())
      return;
    net::post(self->stream_.get_executor(), [self = std::move(self)] {
      self->send(problem_response(
          make_problem(berry_errc::internal, "the request was dropped"),
          self->request_id_));
    });
  }
};

void http_session::run_handler(const route& r, const request& req) {
  // The answer may come from any thread; it is written from the strand.
  auto shared = std::make_shared<reply>();
  shared->self = shared_from_this();
  shared->gzip = accepts_gzip(req.header_value("Accept-Encoding"));
  responder respond = [shared](response res) {
    shared->answer(std::move(res));
  };
  handling = this;
  try {
    r.fn(req, respond);
  } catch (const std::exception& e) {
    log::error(
        "handler failed",
        {{"request_id", request_id_}, {"route", route_}, {"error", e.what()}});
    respond(problem_response(
        make_problem(berry_errc::internal, "internal error"), request_id_));
  }
  handling = nullptr;
  respond = nullptr;
  shared.reset();
  if (answered_) {
    auto res = std::move(*answered_);
    answered_.reset();
    return send(std::move(res));
  }
  if (gone_)
    watch_client();
}

// A client that closes its connection while its request is handled is
// gone (as nginx's 499): its slow work can be dropped. A half-closed client
// that still waits for its answer looks the same; HTTP clients do not do
// that. What a pipelining client sends meanwhile is kept in buffer_, and
// ends the watch.
void http_session::watch_client() {
  watching_ = true;
  stream_.async_read_some(
      buffer_.prepare(watch_bytes),
      beast::bind_front_handler(&http_session::on_watch, shared_from_this()));
}

void http_session::on_watch(beast::error_code ec, std::size_t bytes) {
  watching_ = false;
  buffer_.commit(bytes);
  // send() cancels the watch once the answer is there.
  if (ec && ec != net::error::operation_aborted && gone_)
    gone_->store(true);
  if (auto close = after_watch_) {
    after_watch_.reset();
    next(*close);
  }
}

void http_session::fail_request(int status, const char* slug,
                                std::string detail) {
  request_id_ = pick_request_id({});
  client_ = ip_text(peer_);
  client_ip_.clear();
  route_ = "unmatched";
  // The start line may have been read even when the header was not.
  method_ = std::string{parser_->get().method_string()};
  auto target = parser_->get().target();
  path_ = std::string{target.substr(0, target.find('?'))};
  if (!parser_->is_header_done())
    started_ = std::chrono::steady_clock::now();
  keep_alive_ = false;
  head_ = false;
  private_ = false;
  version_ = 11;
  linger_ = true;
  send(problem_response(make_problem(status, slug, std::move(detail)),
                        request_id_));
}

void http_session::record_request(int status) {
  auto seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started_)
          .count();
  if (state_->ctx.stats)
    state_->ctx.stats->observe_request(route_, method_label(method_), status,
                                       seconds);
  log::info("request", {{"request_id", request_id_},
                        {"method", method_},
                        {"path", path_},
                        {"route", route_},
                        {"client", client_},
                        {"status", status},
                        {"duration_ms", seconds * 1000.0}});
}

void http_session::send(response res) {
  auto& cfg = *state_->ctx.cfg;
  bool close = !keep_alive_ || draining_ || state_->draining || linger_;
  auto status = res.status;
  head_context cx;
  cx.version = version_;
  cx.head = head_;
  cx.keep_alive = !close;
  cx.private_answer = private_;
  cx.request_id = request_id_;
  cx.csp = state_->csp;
  write_head(res, cx, out_head_);
  if (sends_body(res, head_))
    out_body_ = std::move(res.body);
  else
    out_body_.clear();
  record_request(status);
  if (watching_)
    stream_.cancel();
  // A client that does not read its answer is cut like a silent one.
  stream_.expires_after(cfg.idle_timeout);
  // The head and the body in one write, as the serializer sent them.
  std::array<net::const_buffer, 2> out{net::buffer(out_head_),
                                       net::buffer(out_body_)};
  net::async_write(stream_, out,
                   beast::bind_front_handler(&http_session::on_write,
                                             shared_from_this(), close));
}

void http_session::on_write(bool close, beast::error_code ec, std::size_t) {
  if (ec)
    return do_close(false);
  // One read at a time: the next waits for the watch to end.
  if (watching_)
    after_watch_ = close;
  else
    next(close);
}

void http_session::next(bool close) {
  if (close)
    return do_close(linger_);
  do_read();
}

void http_session::do_close(bool linger) {
  beast::error_code ec;
  stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
  if (!linger || ec) {
    stream_.close();
    return;
  }
  // Read and drop what the client still sends until it closes too: closing
  // with unread input would reset the connection and lose our answer.
  stream_.expires_after(linger_time);
  scratch_.resize(4096);
  stream_.async_read_some(
      net::buffer(scratch_),
      beast::bind_front_handler(&http_session::on_linger, shared_from_this()));
}

void http_session::on_linger(beast::error_code ec, std::size_t) {
  if (ec) {
    stream_.close();
    return;
  }
  stream_.async_read_some(
      net::buffer(scratch_),
      beast::bind_front_handler(&http_session::on_linger, shared_from_this()));
}

} // namespace berry::http
