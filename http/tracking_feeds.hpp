#pragma once

// The edge's order feeds (http/tracking_feed.hpp), one per order that has a
// tracking socket open here. The first socket on an order makes its feed:
// a small actor that subscribes to the order's topic at the tracking actor
// (actors/tracking.hpp), through its gate (actors/tracking_gate.hpp), and
// hands each event to the feed; the last socket to go takes it away. In a
// cluster the subscription goes through the order router to the gate of the
// node that runs the order, once per order and edge, and the order's events
// come straight from there.
//
// The gate answers once the tracking actor has the subscription ahead of
// anything the order publishes later, and only then is the feed ready
// (order_feed::ready): a snapshot read after that misses no event the order
// publishes after it, on this node or another. When the
// order's events stop coming (its shard left that node, the node went
// away, or the subscription failed) the feed retires: its sockets are
// closed, the storefront reconnects, and the next socket makes a new feed
// wherever the order runs now, with a fresh snapshot.

#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include <caf/actor.hpp>

#include "http/tracking_feed.hpp"
#include "protocols/interfaces.hpp"

namespace caf {
class actor_system;
}

namespace berry::http {

/// Every order feed of one edge. Thread-safe.
class tracking_feeds {
public:
  /// `via` places subscriptions: the node's tracking gate, or (in a
  /// cluster) the order router.
  tracking_feeds(caf::actor_system& sys, caf::actor via);
  ~tracking_feeds();

  /// A socket's place in its order's feed.
  struct ticket {
    std::shared_ptr<order_feed> feed;
    uint64_t id = 0;
  };

  /// Adds `channel` to the feed of `order_id`, made first (and its
  /// subscription sent) if it is the first, or if the one there retired.
  /// The socket waits for its snapshot (order_feed::when_ready, then
  /// order_feed::snapshot).
  ticket join(const std::string& order_id, std::shared_ptr<ws_channel> channel);

  /// The socket of `t` is gone; its order's feed goes with its last one.
  void leave(const std::string& order_id, const ticket& t);

  /// Drops every socket and feed (the edge stops).
  void stop();

  /// Orders with a feed, for tests.
  size_t size() const;

private:
  struct entry {
    std::shared_ptr<order_feed> feed;
    caf::actor relay;
  };

  caf::actor_system& sys_;
  caf::actor via_;
  mutable std::mutex mtx_;
  std::unordered_map<std::string, entry> feeds_;
};

} // namespace berry::http
