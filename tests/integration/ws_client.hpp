#pragma once

// WebSocket clients for the tracking tests, built on Beast (kept out of this
// header: only ws_client.cpp pays for compiling it).

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "http_client.hpp"

namespace berry::test {

/// What connecting to a WebSocket endpoint needs.
struct ws_target {
  uint16_t port = 0;
  std::string target; ///< path and query
  std::map<std::string, std::string> headers;
  /// SO_RCVBUF before connecting (0: the OS default); a small one makes a
  /// client that does not read fill up fast.
  int receive_buffer = 0;
};

/// Sends an upgrade request on a plain connection and reads the answer: a
/// refusal's status and body, or the 101 (the socket is then dropped).
http_response upgrade_request(uint16_t port, const std::string& target,
                              std::map<std::string, std::string> headers = {});

/// One client on its own I/O context, used step by step.
class ws_client {
public:
  /// Connects and performs the handshake (status() says how it went).
  explicit ws_client(const ws_target& t);
  ~ws_client();
  ws_client(const ws_client&) = delete;
  ws_client& operator=(const ws_client&) = delete;

  /// 101 when upgraded, 0 when refused (see upgrade_request).
  int status() const;

  /// The next text frame; nothing when the socket ended (see close_code)
  /// or after `timeout_ms`.
  std::optional<std::string> read(int timeout_ms = 15000);
  /// The close code the server sent; -1 while open or when the connection
  /// ended without a close frame.
  int close_code() const;
  /// True once the connection ended (close frame, EOF or error).
  bool ended() const;
  /// True when read() timed out and closed the connection itself (rather
  /// than the server ending it).
  bool gave_up() const;
  /// Pings received from the server; a pending read() answers them.
  int pings() const;

  bool send_text(const std::string& text);

private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

/// Many clients read concurrently on one thread, each until its socket
/// ends; some may be "silent" (connected but never read).
class ws_crowd {
public:
  ws_crowd();
  ~ws_crowd();

  /// Connects one more client; returns its index. Check status(i).
  size_t add(const ws_target& t, bool silent = false);

  int status(size_t i) const;
  /// Reads every non-silent client until all have ended or `timeout_ms`
  /// passed; true when all ended.
  bool run(int timeout_ms);
  /// Reads whatever the silent client `i` still gets, until it ends.
  void drain_silent(size_t i, int timeout_ms);

  const std::vector<std::string>& frames(size_t i) const;
  int close_code(size_t i) const;
  bool ended(size_t i) const;
  size_t size() const;

private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

} // namespace berry::test
