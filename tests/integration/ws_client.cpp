#include "ws_client.hpp"

#include "http_client.hpp"

#include <chrono>
#include <stdexcept>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

namespace berry::test {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = net::ip::tcp;

namespace {

/// One connection: the socket, the handshake's outcome, what it read.
struct connection {
  websocket::stream<tcp::socket> ws;
  beast::flat_buffer buffer;
  int status = 0;
  bool ended = false;
  int close_code = -1;
  /// Pings the server sent (answered by Beast while a read is pending).
  int pings = 0;
  std::vector<std::string> frames;

  explicit connection(net::io_context& ioc) : ws(ioc) {}

  void open(const ws_target& t) {
    auto& sock = ws.next_layer();
    sock.open(tcp::v4());
    if (t.receive_buffer > 0)
      sock.set_option(net::socket_base::receive_buffer_size(t.receive_buffer));
    sock.connect({net::ip::address_v4::loopback(), t.port});
    ws.set_option(websocket::stream_base::decorator(
        [h = t.headers](websocket::request_type& req) {
          for (auto& [k, v] : h)
            req.set(k, v);
        }));
    ws.read_message_max(1 << 20);
    ws.control_callback([this](websocket::frame_type kind, beast::string_view) {
      if (kind == websocket::frame_type::ping)
        ++pings;
    });
    websocket::response_type res;
    beast::error_code ec;
    ws.handshake(res, "127.0.0.1", t.target, ec);
    // Beast 1.74 does not hand over the response of a refused upgrade:
    // a refusal shows as status 0 here (tests read its status and body with
    // upgrade_request() instead).
    status = ec ? 0 : static_cast<int>(res.result_int());
    if (ec)
      ended = true;
  }

  /// Notes how the connection ended.
  void end(const beast::error_code& ec) {
    ended = true;
    if (ec == websocket::error::closed)
      close_code = ws.reason().code;
  }
};

} // namespace

http_response upgrade_request(uint16_t port, const std::string& target,
                              std::map<std::string, std::string> headers) {
  headers["Connection"] = "Upgrade";
  headers["Upgrade"] = "websocket";
  headers["Sec-WebSocket-Version"] = "13";
  headers["Sec-WebSocket-Key"] = "dGhlIHNhbXBsZSBub25jZQ==";
  http_connection c{port};
  c.send("GET", target, {}, headers);
  return c.read_response();
}

// -- ws_client ----------------------------------------------------------------

struct ws_client::impl {
  net::io_context ioc;
  connection c{ioc};
  bool gave_up = false;
};

ws_client::ws_client(const ws_target& t) : impl_(std::make_unique<impl>()) {
  impl_->c.open(t);
}

ws_client::~ws_client() = default;

int ws_client::status() const {
  return impl_->c.status;
}

std::optional<std::string> ws_client::read(int timeout_ms) {
  auto& c = impl_->c;
  if (c.ended)
    return std::nullopt;
  std::optional<std::string> out;
  bool done = false;
  c.ws.async_read(c.buffer, [&](beast::error_code ec, std::size_t) {
    done = true;
    if (ec) {
      c.end(ec);
      return;
    }
    out = beast::buffers_to_string(c.buffer.data());
    c.buffer.consume(c.buffer.size());
  });
  impl_->ioc.restart();
  impl_->ioc.run_for(std::chrono::milliseconds(timeout_ms));
  if (!done) {
    // Timed out: give up on this connection.
    beast::error_code ignored;
    c.ws.next_layer().close(ignored);
    impl_->ioc.restart();
    impl_->ioc.run();
    c.ended = true;
    impl_->gave_up = true;
  }
  return out;
}

int ws_client::close_code() const {
  return impl_->c.close_code;
}

bool ws_client::ended() const {
  return impl_->c.ended;
}

bool ws_client::gave_up() const {
  return impl_->gave_up;
}

int ws_client::pings() const {
  return impl_->c.pings;
}

bool ws_client::send_text(const std::string& text) {
  beast::error_code ec;
  impl_->c.ws.text(true);
  impl_->c.ws.write(net::buffer(text), ec);
  return !ec;
}

// -- ws_crowd -----------------------------------------------------------------

struct ws_crowd::impl {
  net::io_context ioc;
  std::vector<std::unique_ptr<connection>> clients;
  std::vector<bool> silent;

  void read_loop(connection& c) {
    c.ws.async_read(c.buffer, [this, &c](beast::error_code ec, std::size_t) {
      if (ec)
        return c.end(ec);
      c.frames.push_back(beast::buffers_to_string(c.buffer.data()));
      c.buffer.consume(c.buffer.size());
      read_loop(c);
    });
  }
};

ws_crowd::ws_crowd() : impl_(std::make_unique<impl>()) {}

ws_crowd::~ws_crowd() = default;

size_t ws_crowd::add(const ws_target& t, bool silent) {
  auto c = std::make_unique<connection>(impl_->ioc);
  c->open(t);
  impl_->clients.push_back(std::move(c));
  impl_->silent.push_back(silent);
  return impl_->clients.size() - 1;
}

int ws_crowd::status(size_t i) const {
  return impl_->clients.at(i)->status;
}

bool ws_crowd::run(int timeout_ms) {
  for (size_t i = 0; i < impl_->clients.size(); ++i)
    if (!impl_->silent[i] && !impl_->clients[i]->ended)
      impl_->read_loop(*impl_->clients[i]);
  impl_->ioc.restart();
  auto until =
      std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (std::chrono::steady_clock::now() < until) {
    impl_->ioc.run_for(std::chrono::milliseconds(20));
    bool all = true;
    for (size_t i = 0; i < impl_->clients.size(); ++i)
      if (!impl_->silent[i] && !impl_->clients[i]->ended)
        all = false;
    if (all)
      return true;
    if (impl_->ioc.stopped())
      impl_->ioc.restart();
  }
  return false;
}

void ws_crowd::drain_silent(size_t i, int timeout_ms) {
  auto& c = *impl_->clients.at(i);
  if (c.ended)
    return;
  impl_->read_loop(c);
  impl_->ioc.restart();
  auto until =
      std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (!c.ended && std::chrono::steady_clock::now() < until) {
    impl_->ioc.run_for(std::chrono::milliseconds(20));
    if (impl_->ioc.stopped())
      impl_->ioc.restart();
  }
}

const std::vector<std::string>& ws_crowd::frames(size_t i) const {
  return impl_->clients.at(i)->frames;
}

int ws_crowd::close_code(size_t i) const {
  return impl_->clients.at(i)->close_code;
}

bool ws_crowd::ended(size_t i) const {
  return impl_->clients.at(i)->ended;
}

size_t ws_crowd::size() const {
  return impl_->clients.size();
}

} // namespace berry::test
