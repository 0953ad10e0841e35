// Live tracking across nodes (issue 14): a tracking socket on any node gets
// the frames of an order that runs on another, through one subscription of
// that node's edge at the tracking actor of the order's node.

#include <csignal>
#include <thread>

#include <catch2/catch.hpp>

#include "cluster_orders.hpp"
#include "ws_client.hpp"

using namespace berry::test;

namespace {

const std::vector<std::string> whole_story{
    "pending",          "reserved",  "paid",     "packed",
    "courier_assigned", "picked_up", "delivered"};

/// One tracking socket's frames, as a shopper's page reads them.
struct watched {
  /// The statuses of the snapshot's history, then of the status frames.
  std::vector<std::string> story;
  /// The status frames after the snapshot, as sent.
  std::vector<std::string> status_frames;
  /// Each status frame's seq was the one after the one before it (the
  /// snapshot's history counts as the first ones).
  bool consecutive = true;
  size_t couriers = 0;
};

watched watch(const std::vector<std::string>& frames,
              const std::string& order_id) {
  watched w;
  REQUIRE_FALSE(frames.empty());
  auto snap = nlohmann::json::parse(frames.front());
  REQUIRE(snap["type"] == "snapshot");
  REQUIRE(snap["order"]["id"] == order_id);
  for (auto& h : snap["order"]["history"])
    w.story.push_back(h["status"]);
  for (size_t i = 1; i < frames.size(); ++i) {
    auto f = nlohmann::json::parse(frames[i]);
    CHECK(f["order_id"] == order_id);
    if (f["type"] == "courier") {
      ++w.couriers;
      continue;
    }
    REQUIRE(f["type"] == "status");
    w.consecutive =
        w.consecutive && f["seq"].get<size_t>() == w.story.size() + 1;
    w.story.push_back(f["status"]);
    w.status_frames.push_back(frames[i]);
  }
  return w;
}

ws_target track(uint16_t port, const std::string& id,
                const std::string& token) {
  return {port, "/api/v1/orders/" + id + "/track?access_token=" + token, {}, 0};
}

/// Every frame of `ws` until it ends.
std::vector<std::string> read_all(ws_client& ws) {
  std::vector<std::string> out;
  while (auto f = ws.read())
    out.push_back(*f);
  return out;
}

/// A cluster whose node a runs every order, b and c none; one customer,
/// logged in on each node; `pid` in stock on a only.
struct tracked_cluster {
  order_cluster c;
  std::vector<std::string> tokens; // the customer's, by node
  const std::string pid = "p-000040";

  explicit tracked_cluster(const std::string& time_scale)
      : c({"--time-scale", time_scale}) {
    c.stock_only(pid, 5);
    REQUIRE_FALSE(register_customer(c.port(0), "watch@berry.test").empty());
    c.add();
    c.add();
    for (size_t i = 0; i < 3; ++i)
      tokens.push_back(customer_login(c.port(i), "watch@berry.test"));
    REQUIRE(c.routes_orders(1, tokens[1]));
    REQUIRE(c.routes_orders(2, tokens[2]));
    REQUIRE(eventually([&] { return available(c.port(1), pid) == 5; }));
  }

  /// A paid order, checked out through b (it runs on a).
  std::string paid_through_b() {
    auto res = checkout(c.port(1), tokens[1], "watch-1",
                        checkout_body({{pid, 1}}, "tok_ok"));
    REQUIRE(res.status == 201);
    REQUIRE(res.json()["status"] == "paid");
    return res.json()["id"];
  }
};

} // namespace

TEST_CASE("a checkout through b for stock in a's warehouse is paid; its "
          "tracking socket on c gets the same frames as one on a, which runs "
          "the order",
          "[etcd]") {
  if (pg_missing())
    return;
  tracked_cluster t("1000");
  auto id = t.paid_through_b();
  // c first: the order is on its way while both watch.
  ws_client on_c{track(t.c.port(2), id, t.tokens[2])};
  ws_client on_a{track(t.c.port(0), id, t.tokens[0])};
  REQUIRE(on_c.status() == 101);
  REQUIRE(on_a.status() == 101);
  std::vector<std::string> frames_c, frames_a;
  std::thread reader{[&] { frames_a = read_all(on_a); }};
  frames_c = read_all(on_c);
  reader.join();
  CHECK(on_c.close_code() == 1000);
  CHECK(on_a.close_code() == 1000);
  auto c = watch(frames_c, id);
  auto a = watch(frames_a, id);
  // Each tells the whole story, nothing missed, nothing twice, in order.
  CHECK(c.story == whole_story);
  CHECK(a.story == whole_story);
  CHECK(c.consecutive);
  CHECK(a.consecutive);
  // c heard the order go on as frames (not only in its snapshot), the very
  // frames a sent, courier positions too.
  REQUIRE_FALSE(c.status_frames.empty());
  CHECK(nlohmann::json::parse(c.status_frames.back())["status"] == "delivered");
  auto n = std::min(c.status_frames.size(), a.status_frames.size());
  CHECK(std::vector<std::string>(c.status_frames.end() - n,
                                 c.status_frames.end()) ==
        std::vector<std::string>(a.status_frames.end() - n,
                                 a.status_frames.end()));
  CHECK(c.couriers > 0);
}

TEST_CASE("a tracking socket on c whose order's node a leaves (SIGTERM) is "
          "closed, and the one it reconnects on c follows the order on its "
          "new node until delivered",
          "[etcd]") {
  if (pg_missing())
    return;
  // Slow enough that the delivery is under way when a leaves.
  tracked_cluster t("100");
  auto id = t.paid_through_b();
  ws_client first{track(t.c.port(2), id, t.tokens[2])};
  REQUIRE(first.status() == 101);
  std::vector<std::string> before;
  auto snap = first.read();
  REQUIRE(snap);
  before.push_back(*snap);
  t.c.nodes[0]->process().signal(SIGTERM);
  while (auto f = first.read())
    before.push_back(*f);
  // Closed by the server, normally, while the order was still on its way:
  // the storefront reconnects on such a close.
  CHECK_FALSE(first.gave_up());
  CHECK(first.close_code() == 1000);
  auto old = watch(before, id);
  REQUIRE(old.story.back() != "delivered");
  CHECK(old.consecutive);
  CHECK(std::equal(old.story.begin(), old.story.end(), whole_story.begin()));

  // A reconnect on c, as the storefront does (refused with 503 while the
  // order's shard is between owners), follows it to the end. The storefront
  // reconnects on every normal close before the end, and so does this: on a
  // loaded machine a lease can lapse and the shard move once more.
  std::vector<std::string> after;
  REQUIRE(eventually(
      [&] {
        ws_client again{track(t.c.port(2), id, t.tokens[2])};
        if (again.status() != 101)
          return false;
        after = read_all(again);
        return again.close_code() == 1000 && !after.empty() &&
               watch(after, id).story.back() == "delivered";
      },
      30000));
  auto now = watch(after, id);
  CHECK(now.story == whole_story);
  CHECK(now.consecutive);
  CHECK(t.c.status_of(id) == "delivered");
}
