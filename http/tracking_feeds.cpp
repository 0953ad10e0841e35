#include "http/tracking_feeds.hpp"

#include <chrono>

#include <caf/all.hpp>

#include "actors/tracking_gate.hpp"

namespace berry::http {

namespace {

/// How long placing a subscription may take: in a cluster it goes to the
/// order's node, and waits there while the order's shard is between owners.
constexpr auto subscribe_timeout = std::chrono::seconds(10);

/// Subscribes to the order's topic through `via`, watches the tracking
/// actor that answers (its node going away ends the feed), and hands the
/// order's events to its feed. The tracking actor forgets it when it exits.
caf::behavior relay(caf::event_based_actor* self,
                    std::shared_ptr<order_feed> feed, caf::actor via,
                    std::string order_id) {
  self->set_down_handler([feed](caf::down_msg&) { feed->retire(); });
  self->request(via, subscribe_timeout, caf::subscribe_atom_v,
                std::move(order_id), caf::actor_cast<caf::actor>(self))
      .then(
          [self, feed](caf::actor& at) {
            if (at)
              self->monitor(at);
            feed->ready();
          },
          [feed](caf::error&) { feed->retire(); });
  return {
      [feed](track_atom, const tracking_event& ev) { feed->publish(ev); },
      [feed](tracking_moved_atom, const std::string&) { feed->retire(); },
  };
}

} // namespace

tracking_feeds::tracking_feeds(caf::actor_system& sys, caf::actor via)
    : sys_(sys), via_(std::move(via)) {}

tracking_feeds::~tracking_feeds() {
  stop();
}

tracking_feeds::ticket
tracking_feeds::join(const std::string& order_id,
                     std::shared_ptr<ws_channel> channel) {
  std::lock_guard<std::mutex> lock{mtx_};
  auto [it, made] = feeds_.try_emplace(order_id);
  auto& e = it->second;
  if (!made && e.feed->retired()) {
    // Its sockets are closing; this one starts the order's next feed.
    caf::anon_send_exit(e.relay, caf::exit_reason::user_shutdown);
    made = true;
  }
  if (made) {
    e.feed = std::make_shared<order_feed>();
    e.relay = sys_.spawn(relay, e.feed, via_, order_id);
  }
  return {e.feed, e.feed->join(std::move(channel))};
}

void tracking_feeds::leave(const std::string& order_id, const ticket& t) {
  std::lock_guard<std::mutex> lock{mtx_};
  auto it = feeds_.find(order_id);
  if (it == feeds_.end() || it->second.feed != t.feed)
    return; // already gone, and perhaps made again since
  if (!t.feed->leave(t.id))
    return;
  caf::anon_send_exit(it->second.relay, caf::exit_reason::user_shutdown);
  feeds_.erase(it);
}

void tracking_feeds::stop() {
  std::lock_guard<std::mutex> lock{mtx_};
  for (auto& [id, e] : feeds_) {
    e.feed->clear();
    caf::anon_send_exit(e.relay, caf::exit_reason::user_shutdown);
  }
  feeds_.clear();
}

size_t tracking_feeds::size() const {
  std::lock_guard<std::mutex> lock{mtx_};
  return feeds_.size();
}

} // namespace berry::http
