// The dispatcher's decisions without actors: who takes a delivery, the line,
// and what becomes of a delivery whose courier drops out.

#include <catch2/catch.hpp>

#include "actors/dispatcher_state.hpp"
#include "actors/street_route.hpp"

using namespace berry;

namespace {

const geo_point warehouse{55.7000, 37.6000};
const geo_point address{55.7300, 37.6400};

/// Couriers around the warehouse; the far one comes first by id.
dispatcher_state board_with_couriers() {
  dispatcher_state b;
  auto add = [&](std::string id, geo_point at) {
    courier_slot s;
    s.info = {id, "Курьер " + id, at};
    b.couriers[id] = s;
  };
  add("k-1", {55.6000, 37.4000}); // far
  add("k-2", {55.7050, 37.6050}); // near
  add("k-3", {55.7200, 37.5800}); // middle
  return b;
}

/// A packed delivery of `order_id` waiting in line.
void enqueue(dispatcher_state& b, const std::string& order_id) {
  delivery_job d;
  d.task.order_id = order_id;
  d.task.status = order_status::packed;
  d.task.pickups = {warehouse};
  d.task.dropoff = address;
  d.at = delivery_stage::queued;
  b.deliveries[order_id] = d;
  b.queue.push_back(order_id);
}

} // namespace

TEST_CASE("the nearest free courier along the streets takes a delivery, "
          "whatever the order of the list") {
  auto b = board_with_couriers();
  enqueue(b, "o-1");
  auto a = b.next_assignment();
  REQUIRE(a);
  CHECK(a->courier->info.id == "k-2");
  CHECK(a->courier->status == courier_state::assigning);
  CHECK(a->courier->order_id == "o-1");
  CHECK(a->job->at == delivery_stage::assigning);
  CHECK(b.queue.empty());
  // Busy now: the next delivery gets the next nearest, then the far one.
  enqueue(b, "o-2");
  enqueue(b, "o-3");
  CHECK(b.next_assignment()->courier->info.id == "k-3");
  CHECK(b.next_assignment()->courier->info.id == "k-1");
}

TEST_CASE("with no courier free a delivery keeps its place in line") {
  auto b = board_with_couriers();
  b.couriers["k-1"].online = false;
  b.couriers["k-2"].down = true;
  b.couriers["k-3"].order_id = "o-0";
  enqueue(b, "o-1");
  CHECK_FALSE(b.next_assignment());
  CHECK(b.queue.size() == 1);
  CHECK(b.deliveries["o-1"].at == delivery_stage::queued);
  // A withdrawn delivery is skipped when its turn comes.
  b.deliveries.erase("o-1");
  b.couriers["k-3"].release();
  CHECK_FALSE(b.next_assignment());
  CHECK(b.queue.empty());
}

TEST_CASE("an accepted delivery is carried with an ETA over the whole route "
          "in real seconds") {
  auto b = board_with_couriers();
  enqueue(b, "o-1");
  auto a = *b.next_assignment();
  CHECK(b.task_for(a).status == order_status::courier_assigned);
  CHECK(b.task_for(a).courier_id == "k-2");
  logistics_params p;
  p.time_scale = 10;
  auto* d = b.accepted("o-1", "k-2", p);
  REQUIRE(d);
  CHECK(d->at == delivery_stage::carried);
  CHECK(b.couriers["k-2"].status == courier_state::to_pickup);
  auto route = travel_m(b.couriers["k-2"].info.location, {warehouse, address});
  CHECK(d->eta_s == p.eta_s(route));
  CHECK(b.couriers["k-2"].status_of().eta_s == d->eta_s);
  // An answer from a courier that no longer has it changes nothing.
  CHECK(b.accepted("o-1", "k-3", p) == nullptr);
}

TEST_CASE("a refused delivery goes back to the front of the line") {
  auto b = board_with_couriers();
  enqueue(b, "o-1");
  enqueue(b, "o-2");
  auto a = *b.next_assignment();
  REQUIRE(a.job->task.order_id == "o-1");
  b.refused("o-1", "k-2");
  CHECK(b.couriers["k-2"].free());
  CHECK(b.queue.front() == "o-1");
  CHECK(b.deliveries["o-1"].courier_id.empty());
}

TEST_CASE("a parcel whose courier drops out after pickup is collected where "
          "that courier was") {
  auto b = board_with_couriers();
  enqueue(b, "o-1");
  b.next_assignment();
  b.accepted("o-1", "k-2", logistics_params{});
  // Off duty after pickup, reported at `where`.
  geo_point where{55.7150, 37.6200};
  b.couriers["k-2"].online = false;
  b.drop_out("k-2", where, true);
  CHECK(b.couriers["k-2"].order_id.empty());
  CHECK(b.couriers["k-2"].info.location.lat == where.lat);
  CHECK(b.queue.front() == "o-1");
  auto& d = b.deliveries["o-1"];
  CHECK(d.picked_up);
  CHECK(d.handover);
  REQUIRE(d.task.pickups.size() == 1);
  CHECK(d.task.pickups[0].lat == where.lat);
  CHECK(d.task.pickups[0].lon == where.lon);
  auto next = *b.next_assignment();
  // Nearest to where the parcel is now: the middle one.
  CHECK(next.courier->info.id == "k-3");
  // It still has to be picked up by the new courier.
  CHECK(b.task_for(next).status == order_status::courier_assigned);
}

TEST_CASE("a delivery resumed after a restart goes back to its own courier, "
          "or is collected where a gone courier was last seen") {
  auto b = board_with_couriers();
  delivery_job own;
  own.task = {"o-1", order_status::picked_up, "k-1", {warehouse}, address};
  b.resume(own);
  auto a = *b.next_assignment();
  CHECK(a.courier->info.id == "k-1"); // the far one: it has the parcel
  CHECK(b.task_for(a).status == order_status::picked_up);
  CHECK(b.deliveries["o-1"].latest == order_status::picked_up);

  delivery_job orphan;
  orphan.task = {"o-2", order_status::picked_up, "k-9", {warehouse}, address};
  b.resume(orphan);
  auto& d = b.deliveries["o-2"];
  CHECK(d.handover);
  CHECK(d.task.pickups[0].lat == address.lat); // unknown courier: at the door
  CHECK(b.task_for(*b.next_assignment()).status ==
        order_status::courier_assigned);
}

TEST_CASE("the admin sees an assigning courier as on its way to pickup and "
          "one off duty as offline") {
  courier_slot s;
  s.info = {"k-1", "Курьер", warehouse};
  s.status = courier_state::assigning;
  s.order_id = "o-1";
  s.eta_s = 42;
  CHECK(s.status_of().status == courier_state::to_pickup);
  CHECK(s.status_of().eta_s == 42);
  s.online = false;
  CHECK(s.status_of().status == courier_state::offline);
  s.release();
  CHECK(s.status_of().order_id.empty());
  CHECK(s.status_of().eta_s == -1);
}
