// Live tracking: GET /api/v1/orders/{id}/track upgraded to a WebSocket.
//
// Before the upgrade the caller is authenticated and the order looked up
// as that caller (another customer's order is not found, exactly like an
// unknown one), so a refused socket never sees any data. Once open, the
// socket joins its order's feed (http/tracking_feeds.hpp), and only once
// the feed is subscribed to the order's topic (on whichever node runs the
// order) does it read the order for the snapshot: every status published
// after the snapshot was taken is already on its way, and the ones the
// snapshot holds are recognised by their seq and skipped. The feed renders
// each event once for all of the order's sockets.

#include <mutex>

#include <nlohmann/json.hpp>

#include "http/auth.hpp"
#include "http/bridge.hpp"
#include "http/edge_limits.hpp"
#include "http/json_mapping.hpp"
#include "http/query.hpp"
#include "http/routes.hpp"
#include "http/routes_orders.hpp"
#include "http/tracking_feeds.hpp"
#include "http/websocket.hpp"

namespace berry::http {

namespace {

/// What a tracking socket needs to know.
struct track_context {
  caf::actor_system* sys;
  order_manager_actor orders;
  tracking_feeds* feeds;
  std::vector<warehouse_info> warehouses;
  std::string user_id;
  std::string order_id;
};

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

/// One tracking socket: its place in the order's feed lasts as long as the
/// socket, and so does its slot among the caller's open sockets.
class track_endpoint : public ws_endpoint {
public:
  track_endpoint(std::shared_ptr<const track_context> tc,
                 std::shared_ptr<void> slot)
      : tc_(std::move(tc)), slot_(std::move(slot)) {}

  void on_open(std::shared_ptr<ws_channel> channel) override {
    // Join and subscribe first, then read the snapshot (see the top of
    // this file).
    auto t = tc_->feeds->join(tc_->order_id, std::move(channel));
    {
      std::lock_guard<std::mutex> lock{mtx_};
      ticket_ = t;
    }
    t.feed->when_ready([t, tc = tc_] {
      ask<order_record>(
          *tc->sys, tc->orders, default_ask_timeout,
          [t, tc](order_record& rec) {
            t.feed->snapshot(
                t.id,
                dump_json({{"type", "snapshot"},
                           {"order", order_json(rec, tc->warehouses)}}),
                static_cast<int64_t>(rec.history.size()), is_final(rec.status));
          },
          [t](const problem&) { t.feed->refuse(t.id); }, caf::get_atom_v,
          tc->user_id, tc->order_id);
    });
  }

  void on_close() override {
    tracking_feeds::ticket t;
    {
      std::lock_guard<std::mutex> lock{mtx_};
      t = std::move(ticket_);
      ticket_ = {};
    }
    if (t.feed)
      tc_->feeds->leave(tc_->order_id, t);
  }

private:
  std::shared_ptr<const track_context> tc_;
  std::shared_ptr<void> slot_;
  std::mutex mtx_;
  tracking_feeds::ticket ticket_;
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
  tc->feeds = env.feeds.get();
  for (auto& [id, w] : env.ctx.warehouses)
    tc->warehouses.push_back(w.info);
  tc->user_id = who->user_id;
  tc->order_id = std::string{req.param("id")};
  if (!tc->feeds)
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
