// One order's feed: every socket gets the same frames, each after its own
// snapshot and without the statuses that snapshot holds; a final status
// closes every socket.

#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "http/tracking_feed.hpp"

using namespace berry;
using namespace berry::http;

namespace {

/// A socket that keeps what it was sent.
struct recording_channel : ws_channel {
  std::vector<ws_frame> frames;
  bool closed = false;

  void send(ws_frame frame, int64_t) override {
    frames.push_back(std::move(frame));
  }
  void send_latest(ws_frame frame, int64_t) override {
    frames.push_back(std::move(frame));
  }
  void close_normal() override { closed = true; }

  std::vector<std::string> types() const {
    std::vector<std::string> out;
    for (auto& f : frames) {
      auto j = nlohmann::json::parse(*f);
      auto t = j["type"].get<std::string>();
      if (t == "status")
        t += ":" + j["status"].get<std::string>();
      out.push_back(t);
    }
    return out;
  }
};

tracking_event status(order_status s, int64_t seq) {
  tracking_event ev;
  ev.order_id = "o-1";
  ev.type = tracking_type::status;
  ev.status = s;
  ev.seq = seq;
  ev.at_ms = 1'700'000'000'000;
  return ev;
}

tracking_event courier(double lat) {
  tracking_event ev;
  ev.order_id = "o-1";
  ev.type = tracking_type::courier;
  ev.location = {lat, 37.6};
  ev.eta_s = 60;
  ev.at_ms = 1'700'000'000'000;
  return ev;
}

const std::string snapshot = R"({"type":"snapshot"})";

} // namespace

TEST_CASE("sockets on one order share each event's frame, after their "
          "snapshots") {
  order_feed feed;
  auto a = std::make_shared<recording_channel>();
  auto b = std::make_shared<recording_channel>();
  auto ia = feed.join(a);
  feed.snapshot(ia, snapshot, 2, false);
  auto ib = feed.join(b);
  // Before b's snapshot: held back for b, sent to a.
  feed.publish(status(order_status::packed, 3));
  feed.publish(courier(55.7));
  CHECK(a->types() ==
        std::vector<std::string>{"snapshot", "status:packed", "courier"});
  CHECK(b->frames.empty());
  // b's snapshot already holds status 3: only the courier follows it.
  feed.snapshot(ib, snapshot, 3, false);
  CHECK(b->types() == std::vector<std::string>{"snapshot", "courier"});
  feed.publish(status(order_status::picked_up, 4));
  // The same frame, rendered once, went to both.
  REQUIRE(a->frames.size() == 4);
  REQUIRE(b->frames.size() == 3);
  CHECK(a->frames.back() == b->frames.back());
  CHECK(nlohmann::json::parse(*a->frames.back())["seq"] == 4);
  // A repeat of a status is not sent again.
  feed.publish(status(order_status::picked_up, 4));
  CHECK(a->frames.size() == 4);
}

TEST_CASE("the final status closes every socket of the order and empties "
          "its feed") {
  order_feed feed;
  auto a = std::make_shared<recording_channel>();
  auto b = std::make_shared<recording_channel>();
  feed.snapshot(feed.join(a), snapshot, 1, false);
  feed.snapshot(feed.join(b), snapshot, 1, false);
  feed.publish(status(order_status::delivered, 2));
  CHECK(a->closed);
  CHECK(b->closed);
  CHECK(a->types().back() == "status:delivered");
  // Nothing more reaches them, and the feed holds none.
  feed.publish(courier(55.8));
  CHECK(a->frames.size() == 2);
  CHECK(feed.leave(12345));
}

TEST_CASE("a socket whose snapshot is already final, or could not be read, "
          "is closed, and one that leaves gets nothing more") {
  order_feed feed;
  auto done = std::make_shared<recording_channel>();
  auto refused = std::make_shared<recording_channel>();
  auto open = std::make_shared<recording_channel>();
  auto id_done = feed.join(done);
  auto id_refused = feed.join(refused);
  auto id_open = feed.join(open);
  feed.publish(courier(55.7)); // held back for all three
  feed.snapshot(id_done, snapshot, 4, true);
  CHECK(done->closed);
  CHECK(done->types() == std::vector<std::string>{"snapshot"});
  feed.refuse(id_refused);
  CHECK(refused->closed);
  CHECK(refused->frames.empty());
  feed.snapshot(id_open, snapshot, 1, false);
  CHECK(open->types() == std::vector<std::string>{"snapshot", "courier"});
  CHECK(feed.leave(id_open));
  feed.publish(courier(55.9));
  CHECK(open->frames.size() == 2);
}
