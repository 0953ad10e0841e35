#pragma once

// One order's tracking sockets on this edge. The order's events come in
// once, are rendered once, and the same frame goes to every socket that
// watches the order: 500 shoppers' tabs on one order cost one JSON
// rendering per event, not 500.
//
// A socket's snapshot is read once its feed is subscribed (ready(), see
// http/tracking_feeds.hpp): events that come before its snapshot are held
// back for it, and once the snapshot is sent they follow, minus the statuses
// the snapshot already holds (recognised by their seq).

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "http/websocket.hpp"
#include "protocols/commerce.hpp"

namespace berry::http {

/// The frame of a status event.
std::string status_frame(const tracking_event& ev);

/// The frame of a courier's position.
std::string courier_frame(const tracking_event& ev);

/// The sockets watching one order, and what each has been sent. Thread-safe.
class order_feed {
public:
  /// Adds a socket that still waits for its snapshot; returns its id here.
  /// A retired feed closes it at once.
  uint64_t join(std::shared_ptr<ws_channel> channel);

  /// The feed is subscribed: every event the order publishes from now on
  /// comes to it. Runs what waited for that (when_ready).
  void ready();

  /// Runs `fn` once the feed is subscribed (now, if it is); never if the
  /// feed retires first.
  void when_ready(std::function<void()> fn);

  /// The order's events no longer come to this feed (its node no longer
  /// runs the order, or the subscription failed): every socket is closed,
  /// to reconnect to a new feed, and the feed takes no more.
  void retire();
  bool retired() const;

  /// The snapshot for socket `who` was read: `frame` goes out, then the
  /// events held back for it. `history` is the number of statuses the
  /// snapshot holds; an order already `final` closes the socket.
  void snapshot(uint64_t who, const std::string& frame, int64_t history,
                bool final);

  /// The order could not be read for `who`: its socket is closed.
  void refuse(uint64_t who);

  /// An event of the order, for every socket.
  void publish(const tracking_event& ev);

  /// Forgets socket `who` (gone, or never there); true when none is left.
  bool leave(uint64_t who);

  /// Forgets every socket (the edge stops).
  void clear();

private:
  struct watcher {
    uint64_t id = 0;
    std::shared_ptr<ws_channel> channel;
    bool have_snapshot = false;
    /// The seq of the latest status sent (the snapshot's count).
    int64_t seq = 0;
    /// Events that came before the snapshot.
    std::deque<tracking_event> early;
  };
  /// Frames of one event, rendered on first use.
  struct rendered {
    const tracking_event& ev;
    ws_frame frame;
  };

  /// Sends `ev` to `w`; false when it was the order's final status and the
  /// socket is closing.
  static bool deliver(watcher& w, rendered& r);
  watcher* find(uint64_t who);

  mutable std::mutex mtx_;
  std::vector<watcher> watchers_;
  uint64_t next_id_ = 1;
  bool ready_ = false;
  bool retired_ = false;
  std::vector<std::function<void()>> when_ready_;
};

} // namespace berry::http
