#include "http/tracking_feed.hpp"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "http/json_mapping.hpp"

namespace berry::http {

std::string status_frame(const tracking_event& ev) {
  return dump_json({{"type", to_string(tracking_type::status)},
                    {"order_id", ev.order_id},
                    {"status", to_string(ev.status)},
                    {"at", rfc3339_utc(ev.at_ms / 1000)},
                    {"seq", ev.seq}});
}

std::string courier_frame(const tracking_event& ev) {
  nlohmann::json j{{"type", to_string(tracking_type::courier)},
                   {"order_id", ev.order_id},
                   {"location", geo_json(ev.location)}};
  if (ev.eta_s >= 0)
    j["eta_s"] = ev.eta_s;
  return dump_json(j);
}

uint64_t order_feed::join(std::shared_ptr<ws_channel> channel) {
  std::lock_guard<std::mutex> lock{mtx_};
  watcher w;
  w.id = next_id_++;
  if (retired_) {
    channel->close_normal();
    return w.id;
  }
  w.channel = std::move(channel);
  watchers_.push_back(std::move(w));
  return watchers_.back().id;
}

void order_feed::ready() {
  std::vector<std::function<void()>> due;
  {
    std::lock_guard<std::mutex> lock{mtx_};
    if (ready_ || retired_)
      return;
    ready_ = true;
    due.swap(when_ready_);
  }
  for (auto& fn : due)
    fn();
}

void order_feed::when_ready(std::function<void()> fn) {
  {
    std::lock_guard<std::mutex> lock{mtx_};
    if (retired_)
      return;
    if (!ready_) {
      when_ready_.push_back(std::move(fn));
      return;
    }
  }
  fn();
}

void order_feed::retire() {
  std::lock_guard<std::mutex> lock{mtx_};
  retired_ = true;
  when_ready_.clear();
  for (auto& w : watchers_)
    w.channel->close_normal();
  watchers_.clear();
}

bool order_feed::retired() const {
  std::lock_guard<std::mutex> lock{mtx_};
  return retired_;
}

order_feed::watcher* order_feed::find(uint64_t who) {
  auto it = std::find_if(watchers_.begin(), watchers_.end(),
                         [&](const watcher& w) { return w.id == who; });
  return it == watchers_.end() ? nullptr : &*it;
}

bool order_feed::deliver(watcher& w, rendered& r) {
  const auto& ev = r.ev;
  if (ev.type != tracking_type::status) {
    if (!r.frame)
      r.frame = std::make_shared<const std::string>(courier_frame(ev));
    w.channel->send_latest(r.frame, ev.at_ms);
    return true;
  }
  if (ev.seq <= w.seq)
    return true; // in the snapshot already, or a repeat
  w.seq = ev.seq;
  if (!r.frame)
    r.frame = std::make_shared<const std::string>(status_frame(ev));
  w.channel->send(r.frame, ev.at_ms);
  if (!is_final(ev.status))
    return true;
  w.channel->close_normal();
  return false;
}

void order_feed::snapshot(uint64_t who, const std::string& frame,
                          int64_t history, bool final) {
  std::lock_guard<std::mutex> lock{mtx_};
  auto* w = find(who);
  if (!w || w->have_snapshot)
    return;
  w->have_snapshot = true;
  w->seq = history;
  w->channel->send_text(frame);
  bool open = !final;
  if (final)
    w->channel->close_normal();
  while (open && !w->early.empty()) {
    rendered r{w->early.front(), nullptr};
    open = deliver(*w, r);
    w->early.pop_front();
  }
  if (!open)
    watchers_.erase(watchers_.begin() + (w - watchers_.data()));
}

void order_feed::refuse(uint64_t who) {
  std::lock_guard<std::mutex> lock{mtx_};
  if (auto* w = find(who)) {
    w->channel->close_normal();
    watchers_.erase(watchers_.begin() + (w - watchers_.data()));
  }
}

void order_feed::publish(const tracking_event& ev) {
  std::lock_guard<std::mutex> lock{mtx_};
  rendered r{ev, nullptr};
  auto done =
      std::remove_if(watchers_.begin(), watchers_.end(), [&](watcher& w) {
        if (w.have_snapshot)
          return !deliver(w, r);
        w.early.push_back(ev);
        return false;
      });
  watchers_.erase(done, watchers_.end());
}

bool order_feed::leave(uint64_t who) {
  std::lock_guard<std::mutex> lock{mtx_};
  if (auto* w = find(who))
    watchers_.erase(watchers_.begin() + (w - watchers_.data()));
  return watchers_.empty();
}

void order_feed::clear() {
  std::lock_guard<std::mutex> lock{mtx_};
  watchers_.clear();
}

} // namespace berry::http
