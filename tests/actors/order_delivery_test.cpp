// After payment: the order follows its delivery to the door, journaling each
// status; cancels before pickup, returns after delivery, and a node restart
// in the middle of the ride.

#include <catch2/catch.hpp>

#include "actors/street_route.hpp"
#include "node_fixture.hpp"

using namespace berry;
using namespace berry::test;
using namespace std::chrono_literals;

namespace {

using history = std::vector<order_status>;

/// Every status of an order delivered to the door, in order.
const history delivered_story{order_status::pending,
                              order_status::reserved,
                              order_status::paid,
                              order_status::packed,
                              order_status::courier_assigned,
                              order_status::picked_up,
                              order_status::delivered};

history statuses(const order_record& x) {
  history out;
  for (auto& h : x.history)
    out.push_back(h.status);
  return out;
}

node_options with_logistics() {
  node_options o;
  o.logistics = true;
  return o;
}

/// The courier's position as the database has it.
geo_point stored_position(node_fixture& node, const std::string& id) {
  auto db =
      storage::database::open(node.db_path, storage::open_mode::read_only);
  for (auto& c : storage::load_couriers(db))
    if (c.id == id)
      return c.location;
  throw std::runtime_error("no courier " + id);
}

/// Runs the node until order `id` is stored in `status`; false after `limit`.
bool until_stored(node_fixture& node, const std::string& id,
                  order_status status, std::chrono::milliseconds limit) {
  return node.run_until([&] { return node.stored(id).status == status; },
                        limit);
}

} // namespace

TEST_CASE("a paid order is packed, carried and delivered, every step stored") {
  node_fixture node{with_logistics()};
  auto x = node.place(node.checkout("k1", "p-kettle", 1, "tok_ok"), 100ms);
  REQUIRE(x.status == order_status::paid);
  REQUIRE(until_stored(node, x.id, order_status::delivered, 120s));
  auto done = node.stored(x.id);
  CHECK(statuses(done) == delivered_story);
  // The nearest courier carried it, and it stands at the door now.
  CHECK(done.courier_id == "k-near");
  CHECK(done.courier_location.lat == kremlin.lat);
  CHECK(done.courier_location.lon == kremlin.lon);
  CHECK(done.eta_s == -1);
  auto at = stored_position(node, "k-near");
  CHECK(at.lat == kremlin.lat);
  CHECK(at.lon == kremlin.lon);
  // History times never go backwards.
  for (size_t i = 1; i < done.history.size(); ++i)
    CHECK(done.history[i].at_ms >= done.history[i - 1].at_ms);
  // A delivered order can be returned: refunded, back on hand.
  auto returned = node.ask_for(return_atom_v, x.id, 2s);
  REQUIRE(returned);
  CHECK(returned->status == order_status::returned);
  CHECK(node.payments_of(x.id, "refund", "refunded") == 1);
  CHECK(node.on_hand("p-kettle") == 3);
}

TEST_CASE("a cancel while the courier rides to the warehouse stops the "
          "delivery, refunds and restocks") {
  node_fixture node{with_logistics()};
  auto x = node.place(node.checkout("k1", "p-kettle", 2, "tok_ok"), 100ms);
  REQUIRE(until_stored(node, x.id, order_status::courier_assigned, 5s));
  auto cancelled = node.ask_for(cancel_atom_v, x.id, 2s);
  REQUIRE(cancelled);
  CHECK(cancelled->status == order_status::cancelled);
  CHECK(node.stored(x.id).cancel_reason == compensation_reason::customer);
  CHECK(node.payments_of(x.id, "refund", "refunded") == 1);
  CHECK(node.on_hand("p-kettle") == 3);
  // The courier stopped where it was and is free for the next order.
  auto y = node.place(node.checkout("k2", "p-kettle", 1, "tok_ok"), 100ms);
  REQUIRE(until_stored(node, y.id, order_status::courier_assigned, 5s));
  CHECK(node.stored(y.id).courier_id == "k-near");
}

TEST_CASE("a cancel after pickup is refused and the delivery goes on") {
  node_fixture node{with_logistics()};
  auto x = node.place(node.checkout("k1", "p-kettle", 1, "tok_ok"), 100ms);
  REQUIRE(until_stored(node, x.id, order_status::picked_up, 60s));
  auto refused = node.ask_for(cancel_atom_v, x.id, 100ms);
  REQUIRE_FALSE(refused);
  CHECK(is_error(refused.error(), berry_errc::conflict));
  REQUIRE(until_stored(node, x.id, order_status::delivered, 120s));
  CHECK(node.payments_of(x.id, "refund", "refunded") == 0);
}

TEST_CASE("a node restart in the middle of a ride resumes the delivery from "
          "the courier's last stored position") {
  node_fixture node{with_logistics()};
  auto x = node.place(node.checkout("k1", "p-kettle", 1, "tok_ok"), 100ms);
  REQUIRE(until_stored(node, x.id, order_status::picked_up, 60s));
  // Ride on for a while, so the stored position is between the warehouse
  // and the door.
  node.run_for(1500ms);
  node.stop();
  auto saved = stored_position(node, "k-near");
  auto warehouse = node.warehouse_infos[0].location;
  CHECK(travel_m(saved, warehouse) > 100);
  CHECK(travel_m(saved, kremlin) < travel_m(warehouse, kremlin));
  node.start();
  auto started = node.elapsed_ms;
  REQUIRE(until_stored(node, x.id, order_status::delivered, 120s));
  auto done = node.stored(x.id);
  CHECK(statuses(done) == delivered_story);
  CHECK(done.courier_id == "k-near");
  // The rest of the ride took as long as from the stored position, not
  // from the warehouse (100x, plus a step of slack).
  double took_s = (node.elapsed_ms - started) / 1000.0 * 100;
  double rest_s = travel_m(saved, kremlin) / node.logistics.speed_mps;
  CHECK(took_s == Approx(rest_s).margin(6));
}

TEST_CASE("an order publishes each status after storing it, numbered, and "
          "the courier's moves while it carries the parcel") {
  node_fixture node{with_logistics()};
  auto x = node.place(node.checkout("k1", "p-kettle", 1, "tok_ok"), 100ms);
  REQUIRE(x.status == order_status::paid);
  auto log = std::make_shared<std::vector<tracking_event>>();
  // For each status event: was it already in the database when it arrived?
  auto stored_first = std::make_shared<std::vector<bool>>();
  auto recorder =
      node.sys.spawn([log, stored_first, path = node.db_path,
                      id = x.id](caf::event_based_actor*) -> caf::behavior {
        return {[=](track_atom, const tracking_event& e) {
          log->push_back(e);
          if (e.type != tracking_type::status)
            return;
          auto db =
              storage::database::open(path, storage::open_mode::read_only);
          auto rec = storage::load_order(db, id);
          stored_first->push_back(
              rec && static_cast<int64_t>(rec->history.size()) >= e.seq &&
              rec->history[static_cast<size_t>(e.seq) - 1].status == e.status);
        }};
      });
  caf::anon_send(node.actors.tracking, caf::subscribe_atom_v, x.id, recorder);
  node.sched.run();
  REQUIRE(until_stored(node, x.id, order_status::delivered, 120s));
  node.run_for(100ms);
  history statuses;
  std::vector<int64_t> seqs;
  auto current = order_status::none;
  int moves = 0;
  for (auto& e : *log) {
    CHECK(e.order_id == x.id);
    if (e.type == tracking_type::status) {
      statuses.push_back(e.status);
      seqs.push_back(e.seq);
      current = e.status;
    } else {
      CHECK(e.type == tracking_type::courier);
      CHECK((current == order_status::courier_assigned ||
             current == order_status::picked_up));
      CHECK(e.eta_s >= 0);
      ++moves;
    }
  }
  CHECK(statuses == history{order_status::packed,
                            order_status::courier_assigned,
                            order_status::picked_up, order_status::delivered});
  CHECK(seqs == std::vector<int64_t>{4, 5, 6, 7});
  CHECK(moves > 10);
  CHECK(*stored_first == std::vector<bool>{true, true, true, true});
  caf::anon_send_exit(recorder, caf::exit_reason::user_shutdown);
}

TEST_CASE("a dispatcher that crashes mid-ride comes back and the delivery "
          "goes on with the same courier") {
  node_fixture node{with_logistics()};
  auto x = node.place(node.checkout("k1", "p-kettle", 1, "tok_ok"), 100ms);
  REQUIRE(until_stored(node, x.id, order_status::picked_up, 60s));
  node.run_for(1s);
  auto first = node.dispatcher_child;
  auto rider = node.courier_actors["k-near"];
  caf::anon_send_exit(first, caf::exit_reason::kill);
  node.sched.run();
  // A new dispatcher with new couriers (the old ones went down with it).
  REQUIRE(node.run_until([&] { return node.dispatcher_child != first; }, 2s));
  CHECK(node.courier_actors["k-near"] != rider);
  // The order hands its delivery over again within its re-dispatch period.
  REQUIRE(until_stored(node, x.id, order_status::delivered, 120s));
  auto done = node.stored(x.id);
  CHECK(statuses(done) == delivered_story);
  CHECK(done.courier_id == "k-near");
  CHECK(done.courier_location.lat == kremlin.lat);
}
