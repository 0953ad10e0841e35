// Live tracking over real WebSockets (Beast's client) against the real
// server: who may connect, what arrives in which order, the limits, and 500
// sockets at once.

#include <chrono>
#include <csignal>
#include <set>
#include <thread>

#include <catch2/catch.hpp>

#include "actors/street_route.hpp"
#include "shop.hpp"
#include "ws_client.hpp"

using namespace berry::test;

namespace {

const std::string product = "p-000120";

struct placed {
  std::string token;
  std::string id;
};

/// A new customer with one paid order.
placed paid_order(uint16_t port, const std::string& email) {
  placed p;
  p.token = register_customer(port, email);
  auto res = checkout(port, p.token, "t-" + email,
                      checkout_body({{product, 1}}, "tok_ok"));
  REQUIRE(res.status == 201);
  p.id = res.json()["id"].get<std::string>();
  return p;
}

ws_target track(uint16_t port, const placed& p) {
  ws_target t;
  t.port = port;
  t.target = "/api/v1/orders/" + p.id + "/track?access_token=" + p.token;
  return t;
}

nlohmann::json parse(const std::string& frame) {
  return nlohmann::json::parse(frame);
}

/// Checks one socket's frames: a snapshot, then statuses with consecutive
/// seq, courier frames only while a courier carries the order, ending
/// with `last`. Returns the statuses seen after the snapshot.
std::vector<std::string> check_stream(const std::vector<std::string>& frames,
                                      const std::string& order_id,
                                      const std::string& last) {
  std::vector<std::string> seen;
  REQUIRE_FALSE(frames.empty());
  auto snap = parse(frames.front());
  REQUIRE(snap["type"] == "snapshot");
  CHECK(snap["order"]["id"] == order_id);
  int64_t seq = static_cast<int64_t>(snap["order"]["history"].size());
  std::string status = snap["order"]["status"];
  for (size_t i = 1; i < frames.size(); ++i) {
    auto f = parse(frames[i]);
    CHECK(f["order_id"] == order_id);
    if (f["type"] == "status") {
      CHECK(f["seq"].get<int64_t>() == seq + 1);
      seq = f["seq"];
      status = f["status"];
      seen.push_back(status);
    } else {
      REQUIRE(f["type"] == "courier");
      CHECK((status == "courier_assigned" || status == "picked_up"));
      CHECK(f.contains("eta_s"));
    }
  }
  CHECK(status == last);
  return seen;
}

} // namespace

TEST_CASE("the tracking socket is refused to anyone but the order's owner, "
          "before any data") {
  temp_dir dir;
  auto server = shop_server(dir.path);
  auto port = server.port();
  auto owner = paid_order(port, "owner@berry.test");
  auto other = register_customer(port, "other@berry.test");
  auto path = "/api/v1/orders/" + owner.id + "/track";

  auto anonymous = upgrade_request(port, path);
  CHECK(anonymous.status == 401);
  auto stranger = upgrade_request(port, path + "?access_token=" + other);
  CHECK(stranger.status == 404);
  CHECK(stranger.header("content-type") == "application/problem+json");
  CHECK(stranger.body.find("not-found") != std::string::npos);
  CHECK(stranger.body.find(owner.id) == std::string::npos);
  auto unknown = upgrade_request(
      port, "/api/v1/orders/o-0000000000000000/track?access_token=" + other);
  CHECK(unknown.status == 404);
  // Beast's own client sees the refusal too.
  ws_client refused{{port, path, bearer(other)}};
  CHECK(refused.status() != 101);
  CHECK(upgrade_request(port, path, bearer(owner.token)).status == 101);
  // A plain GET is told to upgrade.
  auto plain = get(port, path, bearer(owner.token));
  CHECK(plain.status == 426);
  CHECK(plain.header("upgrade") == "websocket");

  // The owner, with the token in the query or in the header.
  ws_client by_query{track(port, owner)};
  CHECK(by_query.status() == 101);
  ws_client by_header{{port, path, bearer(owner.token)}};
  REQUIRE(by_header.status() == 101);
  auto snap = by_header.read();
  REQUIRE(snap);
  auto order = parse(*snap)["order"];
  auto now = get(port, "/api/v1/orders/" + owner.id, bearer(owner.token));
  CHECK(order["id"] == owner.id);
  CHECK(order["total"] == now.json()["total"]);
  CHECK(order["lines"] == now.json()["lines"]);
}

TEST_CASE("the owner watches the snapshot then every status and the courier "
          "closing in until a normal close") {
  temp_dir dir;
  auto server = shop_server(dir.path, {"--time-scale", "2000"});
  auto port = server.port();
  auto p = paid_order(port, "watcher@berry.test");
  ws_client ws{track(port, p)};
  REQUIRE(ws.status() == 101);
  std::vector<std::string> frames;
  while (auto f = ws.read())
    frames.push_back(*f);
  CHECK(ws.close_code() == 1000);
  auto seen = check_stream(frames, p.id, "delivered");
  // The snapshot's history and the frames after it make the whole story,
  // nothing skipped and nothing twice.
  std::vector<std::string> story;
  auto snapshot = parse(frames.front());
  for (auto& h : snapshot["order"]["history"])
    story.push_back(h["status"]);
  story.insert(story.end(), seen.begin(), seen.end());
  CHECK(story == std::vector<std::string>{"pending", "reserved", "paid",
                                          "packed", "courier_assigned",
                                          "picked_up", "delivered"});

  // After pickup the courier only gets nearer the address (a report may
  // repeat a position when a busy machine runs two steps at one instant),
  // and the ETA only shrinks.
  auto order = get(port, "/api/v1/orders/" + p.id, bearer(p.token)).json();
  berry::geo_point to{order["address"]["lat"], order["address"]["lon"]};
  bool carried = false;
  double last_m = 1e12;
  int64_t last_eta = INT64_MAX;
  int moves = 0;
  for (auto& text : frames) {
    auto f = parse(text);
    if (f["type"] == "status")
      carried = f["status"] == "picked_up";
    if (f["type"] != "courier" || !carried)
      continue;
    berry::geo_point at{f["location"]["lat"], f["location"]["lon"]};
    auto m = berry::travel_m(at, to);
    CHECK(m <= last_m);
    CHECK(f["eta_s"].get<int64_t>() <= last_eta);
    if (m < last_m)
      ++moves;
    last_m = m;
    last_eta = f["eta_s"];
  }
  CHECK(moves > 3);
  CHECK(order["status"] == "delivered");
}

TEST_CASE("a frame over 4 KiB from the client closes the socket with 1009") {
  temp_dir dir;
  auto server = shop_server(dir.path);
  auto port = server.port();
  auto p = paid_order(port, "chatty@berry.test");
  ws_client ws{track(port, p)};
  REQUIRE(ws.status() == 101);
  REQUIRE(ws.read()); // the snapshot
  CHECK(ws.send_text("small talk is ignored"));
  CHECK(ws.send_text(std::string(5000, 'x')));
  while (ws.read()) {
  }
  CHECK(ws.close_code() == 1009);
}

TEST_CASE("an idle tracking socket is pinged and stays open while its client "
          "answers, and is closed when the client goes quiet") {
  temp_dir dir;
  // Real time: after "paid" nothing happens for two minutes (packing), so
  // neither side sends anything but pings.
  // A ping goes out after half the idle timeout: 1 s leaves the client half
  // a second to answer even when a loaded machine keeps it from running.
  auto server = shop_server(dir.path, {"--ws-idle-timeout-ms", "1000"});
  auto port = server.port();
  auto p = paid_order(port, "quiet@berry.test");

  // A client with a read pending answers each ping (Beast does) and keeps
  // its socket: after 3 s only its own read gives up.
  ws_client reader{track(port, p)};
  REQUIRE(reader.status() == 101);
  REQUIRE(reader.read()); // the snapshot
  CHECK_FALSE(reader.read(3000));
  CHECK(reader.gave_up());
  CHECK(reader.pings() >= 2);

  // A client that reads nothing answers no ping: the server closes it.
  ws_client quiet{track(port, p)};
  REQUIRE(quiet.status() == 101);
  CHECK(eventually(
      [&] {
        return get(port, "/metrics").body.find("berry_tracking_sockets 0") !=
               std::string::npos;
      },
      10000));
  REQUIRE(quiet.read()); // the snapshot, still in its receive buffer
  // The close follows at once; the margin is for a loaded machine.
  CHECK_FALSE(quiet.read(15000));
  CHECK(quiet.ended());
  CHECK_FALSE(quiet.gave_up());
}

TEST_CASE("a cancel arrives as the final status and closes the socket and a "
          "finished order gives its snapshot and closes") {
  temp_dir dir;
  // Real time: the order stays at the warehouse while this test runs.
  auto server = shop_server(dir.path);
  auto port = server.port();
  auto p = paid_order(port, "changed-mind@berry.test");
  ws_client ws{track(port, p)};
  REQUIRE(ws.status() == 101);
  REQUIRE(ws.read());
  auto res = request(port, "POST", "/api/v1/orders/" + p.id + "/cancel", "",
                     bearer(p.token));
  REQUIRE(res.status == 200);
  auto frame = ws.read();
  REQUIRE(frame);
  auto f = parse(*frame);
  CHECK(f["type"] == "status");
  CHECK(f["status"] == "cancelled");
  CHECK(f["seq"] == res.json()["history"].size());
  CHECK_FALSE(ws.read());
  CHECK(ws.close_code() == 1000);

  ws_client late{track(port, p)};
  REQUIRE(late.status() == 101);
  auto snap = late.read();
  REQUIRE(snap);
  CHECK(parse(*snap)["order"]["status"] == "cancelled");
  CHECK_FALSE(late.read());
  CHECK(late.close_code() == 1000);
}

TEST_CASE("500 tracking sockets at once all receive their orders' events") {
  temp_dir dir;
  // One test thread reads all 500 sockets: a long queue per socket, so a
  // busy machine slowing the reader down is not taken for a client that
  // does not read (that rule has its own test below).
  // 25 sockets per user from one address: over the default limits.
  auto server =
      shop_server(dir.path, {"--time-scale", "1000", "--ws-queue-frames",
                             "4096", "--rate-limits", "off"});
  auto port = server.port();
  // Every courier off duty: the orders wait, packed, while 500 sockets
  // connect; then the couriers come back and everything happens at once.
  auto admin = admin_token(port);
  auto h = bearer(admin);
  h["Content-Type"] = "application/json";
  auto couriers = get(port, "/api/v1/couriers", bearer(admin)).json()["items"];
  REQUIRE(couriers.size() == 40);
  auto set_all = [&](bool on) {
    for (auto& c : couriers)
      REQUIRE(request(port, "PUT",
                      "/api/v1/couriers/" + c["id"].get<std::string>(),
                      nlohmann::json{{"online", on}}.dump(), h)
                  .status == 200);
  };
  set_all(false);
  std::vector<placed> orders;
  for (int i = 0; i < 20; ++i)
    orders.push_back(
        paid_order(port, "crowd" + std::to_string(i) + "@berry.test"));
  ws_crowd crowd;
  for (int i = 0; i < 500; ++i) {
    auto k = crowd.add(track(port, orders[static_cast<size_t>(i) % 20]));
    REQUIRE(crowd.status(k) == 101);
  }
  set_all(true);
  auto metrics = get(port, "/metrics").body;
  CHECK(metrics.find("berry_tracking_sockets 500") != std::string::npos);
  REQUIRE(crowd.run(90000));
  for (size_t i = 0; i < crowd.size(); ++i) {
    INFO("socket " << i);
    CHECK(crowd.close_code(i) == 1000);
    auto seen = check_stream(crowd.frames(i), orders[i % 20].id, "delivered");
    // Connected while the order was under way: it saw it arrive.
    CHECK_FALSE(seen.empty());
  }
  // Sockets of the same order saw the same statuses after their snapshots
  // end the same way: every one of them reached delivered (checked above).
  CHECK(get(port, "/metrics").body.find("berry_tracking_dropped_total 0") !=
        std::string::npos);
}

TEST_CASE("a client that reads slowly gets every status and the latest "
          "courier position, and is not dropped") {
  temp_dir dir;
  // A short queue and small buffers: courier positions come far faster
  // than this client reads them.
  auto server = shop_server(
      dir.path, {"--time-scale", "1000", "--ws-queue-frames", "4",
                 "--ws-send-buffer", "4096", "--rate-limits", "off"});
  auto port = server.port();
  auto p = paid_order(port, "slow-but-steady@berry.test");
  auto target = track(port, p);
  target.receive_buffer = 2048;
  ws_client ws{target};
  REQUIRE(ws.status() == 101);
  std::vector<std::string> frames;
  while (auto frame = ws.read(30000)) {
    frames.push_back(*frame);
    // The pace of a phone on a poor network: this is the client's speed
    // under test, not a wait for something to happen.
    std::this_thread::sleep_for(std::chrono::milliseconds(40));
  }
  CHECK(ws.close_code() == 1000);
  auto seen = check_stream(frames, p.id, "delivered");
  CHECK_FALSE(seen.empty());
  CHECK(get(port, "/metrics").body.find("berry_tracking_dropped_total 0") !=
        std::string::npos);
}

TEST_CASE("a client that does not read at all is cut off while the others "
          "keep receiving") {
  temp_dir dir;
  // Eleven sockets of one user: over the default limit of open sockets.
  // The silent client answers no ping: the idle timeout cuts it.
  auto server =
      shop_server(dir.path, {"--time-scale", "1000", "--ws-queue-frames", "8",
                             "--ws-send-buffer", "4096", "--ws-idle-timeout-ms",
                             "1000", "--rate-limits", "off"});
  auto port = server.port();
  auto p = paid_order(port, "slow-reader@berry.test");
  ws_crowd crowd;
  auto target = track(port, p);
  for (int i = 0; i < 10; ++i)
    REQUIRE(crowd.status(crowd.add(target)) == 101);
  auto silent_target = target;
  silent_target.receive_buffer = 2048;
  auto silent = crowd.add(silent_target, true);
  REQUIRE(crowd.status(silent) == 101);
  REQUIRE(crowd.run(60000));
  for (size_t i = 0; i < 10; ++i) {
    CHECK(crowd.close_code(i) == 1000);
    check_stream(crowd.frames(i), p.id, "delivered");
  }
  // The silent one was cut off: no close frame, and never the end. (It may
  // be cut after the others ended: its idle timeout runs on.)
  crowd.drain_silent(silent, 5000);
  CHECK(crowd.ended(silent));
  CHECK(eventually([&] {
    return get(port, "/metrics").body.find("berry_tracking_dropped_total 1") !=
           std::string::npos;
  }));
  CHECK(crowd.close_code(silent) == -1);
  bool saw_delivered = false;
  for (auto& text : crowd.frames(silent))
    if (parse(text)["type"] == "status" && parse(text)["status"] == "delivered")
      saw_delivered = true;
  CHECK_FALSE(saw_delivered);
}

TEST_CASE("a server shutting down closes tracking sockets with 1001") {
  temp_dir dir;
  auto server = shop_server(dir.path);
  auto port = server.port();
  auto p = paid_order(port, "patient@berry.test");
  ws_client ws{track(port, p)};
  REQUIRE(ws.status() == 101);
  REQUIRE(ws.read());
  server.process().signal(SIGTERM);
  CHECK_FALSE(ws.read());
  CHECK(ws.close_code() == 1001);
  CHECK(server.process().wait() == 0);
}
