// The tracking actor: topics per order, in order, and subscribers that go
// away are forgotten.

#include <memory>

#include <catch2/catch.hpp>

#include "actors/tracking.hpp"
#include "fixture.hpp"

using namespace berry;
using namespace berry::test;

namespace {

struct tracking_fixture : actor_fixture {
  tracking_actor tracking = spawn_tracking(sys);

  /// A subscriber that records what it gets.
  caf::actor recorder(std::shared_ptr<std::vector<tracking_event>> log) {
    return sys.spawn([log](caf::event_based_actor*) -> caf::behavior {
      return {
          [log](track_atom, const tracking_event& e) { log->push_back(e); },
      };
    });
  }

  void publish(const std::string& order, order_status status, int64_t seq) {
    caf::anon_send(
        tracking, track_atom_v,
        tracking_event{order, tracking_type::status, status, 0, seq, {}, -1});
    sched.run();
  }

  int64_t subscribers() {
    int64_t out = -1;
    auto t = tracking;
    sys.spawn([t, &out](caf::event_based_actor* self) {
      self->request(t, caf::infinite, stats_atom_v).then([&out](int64_t n) {
        out = n;
      });
    });
    sched.run();
    return out;
  }
};

std::vector<order_status> statuses(const std::vector<tracking_event>& xs) {
  std::vector<order_status> out;
  for (auto& x : xs)
    out.push_back(x.status);
  return out;
}

using list = std::vector<order_status>;

} // namespace

TEST_CASE("events reach only their order's subscribers, in order") {
  tracking_fixture f;
  auto a1 = std::make_shared<std::vector<tracking_event>>();
  auto a2 = std::make_shared<std::vector<tracking_event>>();
  auto b = std::make_shared<std::vector<tracking_event>>();
  auto r1 = f.recorder(a1), r2 = f.recorder(a2), rb = f.recorder(b);
  caf::anon_send(f.tracking, caf::subscribe_atom_v, std::string{"o-a"}, r1);
  caf::anon_send(f.tracking, caf::subscribe_atom_v, std::string{"o-a"}, r2);
  caf::anon_send(f.tracking, caf::subscribe_atom_v, std::string{"o-b"}, rb);
  // Subscribing twice changes nothing.
  caf::anon_send(f.tracking, caf::subscribe_atom_v, std::string{"o-a"}, r1);
  f.sched.run();
  CHECK(f.subscribers() == 3);
  f.publish("o-a", order_status::packed, 4);
  f.publish("o-b", order_status::paid, 3);
  f.publish("o-a", order_status::courier_assigned, 5);
  f.publish("o-c", order_status::paid, 3); // nobody listens
  CHECK(statuses(*a1) ==
        list{order_status::packed, order_status::courier_assigned});
  CHECK(statuses(*a2) ==
        list{order_status::packed, order_status::courier_assigned});
  CHECK(statuses(*b) == list{order_status::paid});
  CHECK((*a1)[1].seq == 5);
}

TEST_CASE("a subscriber that goes down or unsubscribes gets nothing more") {
  tracking_fixture f;
  auto gone = std::make_shared<std::vector<tracking_event>>();
  auto stays = std::make_shared<std::vector<tracking_event>>();
  auto quits = std::make_shared<std::vector<tracking_event>>();
  auto r_gone = f.recorder(gone), r_stays = f.recorder(stays),
       r_quits = f.recorder(quits);
  for (auto& r : {r_gone, r_stays, r_quits})
    caf::anon_send(f.tracking, caf::subscribe_atom_v, std::string{"o-a"}, r);
  f.sched.run();
  CHECK(f.subscribers() == 3);
  caf::anon_send_exit(r_gone, caf::exit_reason::user_shutdown);
  caf::anon_send(f.tracking, caf::unsubscribe_atom_v, std::string{"o-a"},
                 r_quits);
  f.sched.run();
  CHECK(f.subscribers() == 1);
  f.publish("o-a", order_status::delivered, 7);
  CHECK(gone->empty());
  CHECK(quits->empty());
  CHECK(statuses(*stays) == list{order_status::delivered});
}
