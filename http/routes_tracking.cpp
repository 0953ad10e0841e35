// Live tracking: GET /api/v1/orders/{id}/track upgraded to a WebSocket.
//
// Before the upgrade the caller is authenticated and the order looked up
// as that caller (another customer's order is not found, exactly like an
// unknown one), so a refused socket never sees any data. Once open, a small
// actor per socket subscribes to the order's topic at the tracking actor
// FIRST and only then reads the order for the snapshot: every status
// published after the snapshot was taken is already on its way, and the
// ones the snapshot holds are recognised by their seq and skipped.

#include <deque>

#include <nlohmann/json.hpp>

#include "actors/clock.hpp"
#include "http/auth.hpp"
#include "http/bridge.hpp"
#include "http/edge_limits.hpp"
#include "http/json_mapping.hpp"
#include "http/metrics.hpp"
#include "http/query.hpp"
#include "http/routes.hpp"
#include "http/routes_orders.hpp"
#include "http/websocket.hpp"

namespace berry::http {

namespace {

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

/// What a tracking socket needs to know.
struct track_context {
  caf::actor_system* sys;
  order_manager_actor orders;
  tracking_actor tracking;
  metrics* stats;
  std::vector<warehouse_info> warehouses;
  std::string user_id;
  std::string order_id;
};

struct subscriber_state {
  std::shared_ptr<ws_channel> channel;
  bool have_snapshot = false;
  /// The seq of the latest status sent (the snapshot's history counts).
  int64_t seq = 0;
  /// Events that came before the snapshot.
  std::deque<tracking_event> early;
  static inline const char* name = "tracking_socket";
};

using subscriber_ptr = caf::stateful_actor<subscriber_state>*;

void send_event(subscriber_ptr self, const track_context& tc,
                const tracking_event& ev) {
  auto& st = self->state;
  if (tc.stats)
    tc.stats->observe_tracking_delay(
        std::max<int64_t>(0, system_now_ms() - ev.at_ms) / 1000.0);
  if (ev.type == tracking_type::status) {
    if (ev.seq <= st.seq)
      return; // in the snapshot already, or a repeat
    st.seq = ev.seq;
    st.channel->send_text(status_frame(ev));
    if (is_final(ev.status)) {
      st.channel->close_normal();
      self->quit();
    }
  } else {
    st.channel->send_latest(courier_frame(ev));
  }
}

caf::behavior subscriber(subscriber_ptr self, std::shared_ptr<ws_channel> ch,
                         std::shared_ptr<const track_context> tc) {
  self->state.channel = std::move(ch);
  // Subscribe first, then take the snapshot (see the top of this file).
  caf::anon_send(tc->tracking, caf::subscribe_atom_v, tc->order_id,
                 caf::actor_cast<caf::actor>(self));
  self->request(tc->orders, default_ask_timeout, caf::get_atom_v, tc->user_id,
                tc->order_id)
      .then(
          [=](order_record& rec) {
            auto& st = self->state;
            st.have_snapshot = true;
            st.seq = static_cast<int64_t>(rec.history.size());
            st.channel->send_text(
                dump_json({{"type", "snapshot"},
                           {"order", order_json(rec, tc->warehouses)}}));
            if (is_final(rec.status)) {
              st.channel->close_normal();
              self->quit();
              return;
            }
            while (!st.early.empty()) {
              auto ev = std::move(st.early.front());
              st.early.pop_front();
              send_event(self, *tc, ev);
            }
          },
          [=](caf::error&) {
            self->state.channel->close_normal();
            self->quit();
          });
  return {
      [=](track_atom, const tracking_event& ev) {
        if (!self->state.have_snapshot)
          self->state.early.push_back(ev);
        else
          send_event(self, *tc, ev);
      },
  };
}

/// `req` with `?access_token=` as its bearer credentials, unless it has
/// some: a browser cannot set headers on a WebSocket, so this route, and
/// only this one, takes the token from the query.
request with_query_token(const request& req) {
  request out = req;
  if (!req.header_value("Authorization").empty() || req.query.empty())
    return out;
  if (auto pairs = parse_query(req.query))
    for (auto& [k, v] : *pairs)
      if (k == "access_token" && !v.empty())
        out.headers.emplace_back("Authorization", "Bearer " + v);
  return out;
}

/// One tracking socket: its subscriber actor lives as long as the socket,
/// and so does its slot among the caller's open sockets.
class track_endpoint : public ws_endpoint {
public:
  track_endpoint(std::shared_ptr<const track_context> tc,
                 std::shared_ptr<void> slot)
      : tc_(std::move(tc)), slot_(std::move(slot)) {}

  void on_open(std::shared_ptr<ws_channel> channel) override {
    subscriber_ = tc_->sys->spawn(subscriber, std::move(channel), tc_);
  }

  void on_close() override {
    if (subscriber_)
      caf::anon_send_exit(subscriber_, caf::exit_reason::user_shutdown);
    subscriber_ = nullptr;
  }

private:
  std::shared_ptr<const track_context> tc_;
  std::shared_ptr<void> slot_;
  caf::actor subscriber_;
};

} // namespace

void get_order_track(const route_env&, const request& req, responder respond) {
  auto res = problem_response(
      make_problem(426, "upgrade-required",
                   "this is a WebSocket endpoint: send an Upgrade request"),
      req.request_id);
  res.set("Upgrade", "websocket");
  res.set("Connection", "Upgrade");
  respond(std::move(res));
}

void upgrade_order_track(const route_env& env, const request& req,
                         upgrade_responder respond) {
  auto refuse = [respond, rid = req.request_id](const problem& p) {
    respond({problem_response(p, rid), nullptr});
  };
  auto who = authenticate(env, with_query_token(req));
  if (!who)
    return refuse(who.error());
  auto tc = std::make_shared<track_context>();
  tc->sys = env.ctx.sys;
  tc->orders = env.ctx.orders;
  tc->tracking = env.ctx.tracking;
  tc->stats = env.ctx.stats;
  for (auto& [id, w] : env.ctx.warehouses)
    tc->warehouses.push_back(w.info);
  tc->user_id = who->user_id;
  tc->order_id = std::string{req.param("id")};
  if (!tc->tracking)
    return refuse(
        make_problem(berry_errc::unavailable, "tracking is not available"));
  std::shared_ptr<void> slot;
  if (env.limits && !(slot = env.limits->open_socket(who->user_id, req.client)))
    return respond(
        {rate_limited(std::chrono::seconds(5), "too many tracking sockets open",
                      req.request_id),
         nullptr});
  // The owner check, before anything is sent: not found for anyone else.
  ask<order_record>(
      *env.ctx.sys, env.ctx.orders, default_ask_timeout,
      [respond, tc, slot](order_record&) {
        respond({{}, std::make_shared<track_endpoint>(tc, slot)});
      },
      refuse, caf::get_atom_v, tc->user_id, tc->order_id);
}

} // namespace berry::http
