#pragma once

// Accepts connections, each on its own strand, and starts a session for
// each; over the connection cap it answers 503 and closes.

#include <cstdint>
#include <memory>
#include <string>

#include "http/beast.hpp"
#include "http/edge_state.hpp"

namespace berry::http {

/// The accepting socket of the edge.
class listener : public std::enable_shared_from_this<listener> {
public:
  listener(net::io_context& ioc, std::shared_ptr<edge_state> state);

  /// Binds host:port (port 0 picks a free one) and listens; returns the
  /// bound port. Throws std::runtime_error when that fails.
  uint16_t open(const std::string& host, uint16_t port);

  /// Starts accepting.
  void run();

  /// Stops accepting; thread-safe.
  void stop();

private:
  void do_accept();
  void on_accept(beast::error_code ec, tcp::socket socket);
  void reject(tcp::socket socket);

  net::io_context& ioc_;
  tcp::acceptor acceptor_;
  net::steady_timer retry_; ///< pauses accepting after an accept error
  std::shared_ptr<edge_state> state_;
};

} // namespace berry::http
