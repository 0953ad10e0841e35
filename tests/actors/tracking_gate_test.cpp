// The tracking gate: a subscribe is answered once the tracking actor has it,
// and the subscribers of an order shard that leaves the node are told.

#include <memory>

#include <catch2/catch.hpp>

#include "actors/order_shards.hpp"
#include "actors/tracking.hpp"
#include "actors/tracking_gate.hpp"
#include "fixture.hpp"

using namespace berry;
using namespace berry::test;

namespace {

/// What one subscriber got.
struct heard {
  std::vector<order_status> statuses;
  std::vector<std::string> moved;
};

struct gate_fixture : actor_fixture {
  tracking_actor tracking = spawn_tracking(sys);
  caf::actor gate = spawn_tracking_gate(sys, tracking);

  caf::actor subscriber(std::shared_ptr<heard> h) {
    return sys.spawn([h](caf::event_based_actor*) -> caf::behavior {
      return {
          [h](track_atom, const tracking_event& e) {
            h->statuses.push_back(e.status);
          },
          [h](tracking_moved_atom, const std::string& id) {
            h->moved.push_back(id);
          },
      };
    });
  }

  /// Subscribes `who` through the gate; the answer's sender.
  caf::actor subscribe(const std::string& id, caf::actor who) {
    caf::actor answer;
    auto g = gate;
    sys.spawn([g, id, who, &answer](caf::event_based_actor* self) {
      self->request(g, caf::infinite, caf::subscribe_atom_v, id, who)
          .then([&answer](caf::actor& at) { answer = at; });
    });
    sched.run();
    return answer;
  }

  void publish(const std::string& id, order_status s, int64_t seq) {
    caf::anon_send(
        tracking, track_atom_v,
        tracking_event{id, tracking_type::status, s, 0, seq, {}, -1});
    sched.run();
  }
};

} // namespace

TEST_CASE("a subscribe through the gate is answered by the gate, and the "
          "order's events follow") {
  gate_fixture f;
  auto h = std::make_shared<heard>();
  CHECK(f.subscribe("o-a", f.subscriber(h)) == f.gate);
  f.publish("o-a", order_status::packed, 4);
  CHECK(h->statuses == std::vector<order_status>{order_status::packed});
}

TEST_CASE("when an order shard leaves the node, its orders' subscribers are "
          "told once and hear nothing more from here") {
  gate_fixture f;
  std::string a = "o-a", b = "o-b";
  for (int i = 0; order_shard_of(a) == order_shard_of(b); ++i)
    b = "o-b" + std::to_string(i);
  auto ha = std::make_shared<heard>(), hb = std::make_shared<heard>();
  auto sa = f.subscriber(ha), sb = f.subscriber(hb);
  f.subscribe(a, sa);
  f.subscribe(b, sb);
  caf::anon_send(f.gate, order_unhost_atom::value, int32_t{order_shard_of(a)});
  f.sched.run();
  CHECK(ha->moved == std::vector<std::string>{a});
  CHECK(hb->moved.empty());
  f.publish(a, order_status::packed, 4);
  f.publish(b, order_status::packed, 4);
  CHECK(ha->statuses.empty());
  CHECK(hb->statuses == std::vector<order_status>{order_status::packed});
  // Told once: the shard leaving again tells nobody.
  caf::anon_send(f.gate, order_unhost_atom::value, int32_t{order_shard_of(a)});
  f.sched.run();
  CHECK(ha->moved.size() == 1);
}
