#pragma once

// The edge as main sees it: start, mark ready, drain, stop. No Beast or
// Asio here, so main compiles fast.

#include <chrono>
#include <cstdint>
#include <memory>

#include "http/edge_context.hpp"

namespace berry::http {

/// Berry's HTTP server: a listener, its sessions, the Asio threads that
/// run them, and the read pool for catalog searches.
class server {
public:
  /// Takes what the edge serves from; nothing runs until start().
  explicit server(edge_context ctx);

  /// Stops (as stop()) if still running.
  ~server();

  server(const server&) = delete;
  server& operator=(const server&) = delete;

  /// Binds cfg->host:cfg->port (0 = any free port), starts cfg->io_threads
  /// Asio threads and cfg->read_threads search threads; returns the bound
  /// port. Throws std::runtime_error when binding fails.
  uint16_t start();

  /// /readyz answers 200 while true (and not draining), 503 otherwise.
  void set_ready(bool ready);

  /// Graceful shutdown, part one: stops accepting, makes /readyz answer
  /// 503, closes idle keep-alive connections at once, lets in-flight
  /// requests finish (answered with Connection: close), and waits up to
  /// cfg->drain_timeout for every connection to end; then closes the rest.
  /// Blocks the caller; call it from outside the Asio threads.
  void drain();

  /// The start of drain(), waiting only up to `within` and closing nothing:
  /// true when every connection has ended. A cluster node lets the
  /// requests under way finish on the shards it still holds before it
  /// hands them over, then drain()s the rest.
  bool settle(std::chrono::milliseconds within);

  /// Stops the Asio threads and the read pool, and joins them.
  void stop();

private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

} // namespace berry::http
