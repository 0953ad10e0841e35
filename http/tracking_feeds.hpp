#pragma once

// The edge's order feeds (http/tracking_feed.hpp), one per order that has a
// tracking socket open here. The first socket on an order makes its feed:
// a small actor that subscribes to the order's topic at the tracking actor
// (actors/tracking.hpp) and hands each event to the feed; the last socket to
// go takes it away. The subscription is sent before join() returns, so a
// snapshot read after join() misses no event published after it.

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
  tracking_feeds(caf::actor_system& sys, tracking_actor tracking);
  ~tracking_feeds();

  /// A socket's place in its order's feed.
  struct ticket {
    std::shared_ptr<order_feed> feed;
    uint64_t id = 0;
  };

  /// Adds `channel` to the feed of `order_id`, made and subscribed first
  /// if it is the first. The socket waits for its snapshot
  /// (order_feed::snapshot).
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
  tracking_actor tracking_;
  mutable std::mutex mtx_;
  std::unordered_map<std::string, entry> feeds_;
};

} // namespace berry::http
