#include "http/listener.hpp"

#include <stdexcept>

#include "config/logging.hpp"
#include "http/http_session.hpp"
#include "http/metrics.hpp"
#include "http/problem.hpp"

namespace berry::http {

namespace {

// Answers one connection over the cap with a fixed 503 and closes it,
// reading what the client sent meanwhile so it sees the answer.
class rejection : public std::enable_shared_from_this<rejection> {
public:
  explicit rejection(tcp::socket&& s) : stream_(std::move(s)) {}

  void run(std::string id) {
    auto body = render_problem(
        make_problem(503, "unavailable", "too many connections; retry later"),
        id);
    text_ = "HTTP/1.1 503 Service Unavailable\r\nServer: berry\r\n"
            "Content-Type: application/problem+json\r\nRetry-After: 1\r\n"
            "X-Content-Type-Options: nosniff\r\n"
            "Content-Security-Policy: default-src 'none'; "
            "frame-ancestors 'none'\r\nReferrer-Policy: no-referrer\r\n"
            "X-Request-Id: " +
            id +
            "\r\nConnection: close\r\n"
            "Content-Length: " +
            std::to_string(body.size()) + "\r\n\r\n" + body;
    stream_.expires_after(std::chrono::seconds(2));
    net::async_write(
        stream_, net::buffer(text_),
        [self = shared_from_this()](beast::error_code ec, std::size_t) {
          self->stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
          self->drop_input({}, 0);
        });
  }

private:
  void drop_input(beast::error_code ec, std::size_t) {
    if (ec) {
      stream_.close();
      return;
    }
    scratch_.resize(1024);
    stream_.async_read_some(
        net::buffer(scratch_),
        beast::bind_front_handler(&rejection::drop_input, shared_from_this()));
  }

  beast::tcp_stream stream_;
  std::string text_;
  std::string scratch_;
};

} // namespace

listener::listener(net::io_context& ioc, std::shared_ptr<edge_state> state)
    : ioc_(ioc), acceptor_(net::make_strand(ioc)),
      retry_(acceptor_.get_executor()), state_(std::move(state)) {}

uint16_t listener::open(const std::string& host, uint16_t port) {
  auto where = host + ":" + std::to_string(port);
  beast::error_code ec;
  tcp::resolver resolver{ioc_};
  auto found =
      resolver.resolve(host, std::to_string(port), tcp::resolver::passive, ec);
  if (ec || found.empty())
    throw std::runtime_error("cannot resolve " + where + ": " + ec.message());
  auto endpoint = found.begin()->endpoint();
  acceptor_.open(endpoint.protocol(), ec);
  if (!ec)
    acceptor_.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec)
    acceptor_.bind(endpoint, ec);
  if (!ec)
    acceptor_.listen(net::socket_base::max_listen_connections, ec);
  if (ec)
    throw std::runtime_error("cannot listen on " + where + ": " + ec.message());
  return acceptor_.local_endpoint().port();
}

void listener::run() {
  net::dispatch(
      acceptor_.get_executor(),
      beast::bind_front_handler(&listener::do_accept, shared_from_this()));
}

void listener::stop() {
  net::post(acceptor_.get_executor(), [self = shared_from_this()] {
    beast::error_code ec;
    self->acceptor_.close(ec);
    self->retry_.cancel();
  });
}

void listener::do_accept() {
  if (!acceptor_.is_open())
    return;
  // Each connection gets its own strand.
  acceptor_.async_accept(
      net::make_strand(ioc_),
      beast::bind_front_handler(&listener::on_accept, shared_from_this()));
}

void listener::on_accept(beast::error_code ec, tcp::socket socket) {
  if (ec == net::error::operation_aborted || !acceptor_.is_open())
    return;
  if (ec) {
    // Out of descriptors, most likely: try again shortly, not in a spin.
    log::warn("accept failed", {{"error", ec.message()}});
    retry_.expires_after(std::chrono::milliseconds(50));
    retry_.async_wait(
        [self = shared_from_this()](beast::error_code) { self->do_accept(); });
    return;
  }
  if (state_->open_sessions() >= state_->max_connections) {
    reject(std::move(socket));
  } else {
    std::make_shared<http_session>(std::move(socket), state_)->run();
  }
  do_accept();
}

void listener::reject(tcp::socket socket) {
  auto id = pick_request_id({});
  log::warn(
      "connection refused",
      {{"request_id", id}, {"reason", "max_connections"}, {"status", 503}});
  if (state_->ctx.stats)
    state_->ctx.stats->observe_request("unmatched", "OTHER", 503, 0.0);
  std::make_shared<rejection>(std::move(socket))->run(std::move(id));
}

} // namespace berry::http
