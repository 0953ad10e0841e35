#include "http/tracking_feeds.hpp"

#include <caf/all.hpp>

namespace berry::http {

namespace {

/// Hands the order's events to its feed; the tracking actor forgets it
/// when it exits.
caf::behavior relay(caf::event_based_actor*, std::shared_ptr<order_feed> feed) {
  return {
      [feed](track_atom, const tracking_event& ev) { feed->publish(ev); },
  };
}

} // namespace

tracking_feeds::tracking_feeds(caf::actor_system& sys, tracking_actor tracking)
    : sys_(sys), tracking_(std::move(tracking)) {}

tracking_feeds::~tracking_feeds() {
  stop();
}

tracking_feeds::ticket
tracking_feeds::join(const std::string& order_id,
                     std::shared_ptr<ws_channel> channel) {
  std::lock_guard<std::mutex> lock{mtx_};
  auto [it, made] = feeds_.try_emplace(order_id);
  auto& e = it->second;
  if (made) {
    e.feed = std::make_shared<order_feed>();
    e.relay = sys_.spawn(relay, e.feed);
    caf::anon_send(tracking_, caf::subscribe_atom_v, order_id, e.relay);
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
