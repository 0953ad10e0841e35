#pragma once

// What the listener, the sessions and the server share: the settings, the
// route table, the ready and draining flags, and the live sessions (so a
// drain can reach them and wait for them to end).

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <vector>

#include "http/edge_context.hpp"
#include "http/edge_limits.hpp"
#include "http/router.hpp"

namespace berry::http {

/// A live connection of the edge (HTTP or WebSocket), as a drain sees it.
class edge_connection {
public:
  virtual ~edge_connection() = default;
  /// The server is draining: finish what is under way, then close.
  /// Thread-safe.
  virtual void drain() = 0;
  /// Closes now, whatever it is doing. Thread-safe.
  virtual void force_close() = 0;
};

/// Shared by the server, its listener and every session.
class edge_state {
public:
  /// `routes` handlers may refer to things the server owns; sessions keep
  /// this object alive, and the server outlives its sessions.
  edge_state(edge_context ctx, std::vector<route> routes,
             std::shared_ptr<edge_limits> limits);

  const edge_context ctx;
  const router routes;
  /// Never null.
  const std::shared_ptr<edge_limits> limits;
  /// The Content-Security-Policy of every answer.
  const std::string csp;
  /// --max-connections, lowered at start when the open-file limit is
  /// lower (http/fd_limit.hpp).
  std::atomic<size_t> max_connections;
  std::atomic<bool> ready{false};
  std::atomic<bool> draining{false};

  /// Registers a live session; returns its key.
  uint64_t add_session(std::weak_ptr<edge_connection> s);

  /// Forgets a session (from its destructor).
  void remove_session(uint64_t key);

  /// Sessions open now.
  size_t open_sessions() const;

  /// The sessions still alive.
  std::vector<std::shared_ptr<edge_connection>> live_sessions() const;

  /// Waits until no session is left or `timeout` passed; true when none is.
  bool wait_no_sessions(std::chrono::milliseconds timeout);

private:
  mutable std::mutex mtx_;
  std::condition_variable cv_;
  std::unordered_map<uint64_t, std::weak_ptr<edge_connection>> sessions_;
  uint64_t next_key_ = 0;
};

} // namespace berry::http
