#include "actors/shard_gate.hpp"

#include <catch2/catch.hpp>

#include "fixture.hpp"
#include "protocols/errors.hpp"

// A shard's gate on a cluster node (issue 14): it serves its shard while
// the node hosts it, asks the owner's gate on another node while it has a
// route there, and answers unavailable at once otherwise. The route across
// nodes itself is tested end to end in cluster_route_test.cpp.

using namespace berry;
using namespace berry::test;
using namespace std::chrono_literals;

namespace {

/// An owner's gate: 42 for get, out_of_stock for put, no answer for delete.
caf::behavior owner(caf::event_based_actor* self) {
  return {
      [](caf::get_atom) { return 42; },
      [](caf::put_atom) -> caf::result<int> {
        return caf::make_error(berry_errc::out_of_stock, "none left");
      },
      [=](caf::delete_atom) { return self->make_response_promise<int>(); },
  };
}

struct gate_fixture : actor_fixture {
  caf::actor gate = spawn_shard_gate(sys, [] {
    shard_gate_init init;
    init.name = "warehouse w-1";
    init.start = [](caf::actor_system& s, int64_t) {
      return s.spawn(
          []() -> caf::behavior { return {[](caf::get_atom) { return 7; }}; });
    };
    init.remote_timeout = 500ms;
    init.wait_for = 300ms;
    init.max_waiting = 2;
    return init;
  }());
  caf::actor other = sys.spawn(owner);

  /// What the gate answers to `x`: the int, or -1 and the error.
  template <class Atom>
  std::pair<int, caf::error> ask(Atom x, bool settle = true) {
    auto out = std::make_shared<std::pair<int, caf::error>>(-1, caf::error{});
    sys.spawn([=, g = gate](caf::event_based_actor* self) {
      self->request(g, caf::infinite, x)
          .then([=](int v) { out->first = v; },
                [=](caf::error& e) { out->second = std::move(e); });
    });
    if (settle)
      sched.run();
    last = out;
    return *out;
  }
  std::shared_ptr<std::pair<int, caf::error>> last;

  ~gate_fixture() {
    caf::anon_send_exit(gate, caf::exit_reason::user_shutdown);
    caf::anon_send_exit(other, caf::exit_reason::user_shutdown);
    drain();
  }
};

} // namespace

TEST_CASE_METHOD(gate_fixture,
                 "a gate with neither its shard nor a route answers "
                 "unavailable at once") {
  auto [v, err] = ask(caf::get_atom_v);
  CHECK(v == -1);
  CHECK(is_error(err, berry_errc::unavailable));
}

TEST_CASE_METHOD(
    gate_fixture,
    "a gate routed to the owner passes its answers and errors on") {
  caf::anon_send(gate, gate_route_atom::value, other);
  CHECK(ask(caf::get_atom_v).first == 42);
  CHECK(is_error(ask(caf::put_atom_v).second, berry_errc::out_of_stock));
}

TEST_CASE_METHOD(gate_fixture,
                 "a question out when the route goes is answered unavailable "
                 "at once, and one never answered after the remote timeout") {
  caf::anon_send(gate, gate_route_atom::value, other);
  ask(caf::delete_atom_v);
  CHECK(last->second == caf::error{});
  caf::anon_send(gate, gate_route_atom::value, caf::actor{});
  sched.run();
  CHECK(is_error(last->second, berry_errc::unavailable));

  caf::anon_send(gate, gate_route_atom::value, other);
  ask(caf::delete_atom_v);
  run_for(400ms);
  CHECK(last->second == caf::error{});
  run_for(200ms);
  CHECK(is_error(last->second, berry_errc::unavailable));
}

TEST_CASE_METHOD(gate_fixture,
                 "a gate that hosts its shard serves it, route or not") {
  caf::anon_send(gate, gate_route_atom::value, other);
  caf::anon_send(gate, gate_host_atom::value, int64_t{3});
  sched.run();
  CHECK(ask(caf::get_atom_v).first == 7);
}

TEST_CASE_METHOD(gate_fixture,
                 "a gate told to wait keeps a request until its shard is "
                 "hosted, and answers it then") {
  caf::anon_send(gate, gate_wait_atom::value, true);
  ask(caf::get_atom_v);
  CHECK(last->first == -1);
  CHECK(last->second == caf::error{});
  caf::anon_send(gate, gate_host_atom::value, int64_t{4});
  sched.run();
  CHECK(last->first == 7);
}

TEST_CASE_METHOD(gate_fixture,
                 "a waiting request goes to the owner's gate once there is a "
                 "route") {
  caf::anon_send(gate, gate_wait_atom::value, true);
  ask(caf::get_atom_v);
  CHECK(last->first == -1);
  caf::anon_send(gate, gate_route_atom::value, other);
  sched.run();
  CHECK(last->first == 42);
}

TEST_CASE_METHOD(gate_fixture,
                 "a request waits at most wait_for, and no more than "
                 "max_waiting wait") {
  caf::anon_send(gate, gate_wait_atom::value, true);
  auto first = (ask(caf::get_atom_v), last);
  auto second = (ask(caf::get_atom_v), last);
  auto [v, err] = ask(caf::get_atom_v);
  CHECK(is_error(err, berry_errc::unavailable));
  run_for(250ms);
  CHECK(first->second == caf::error{});
  CHECK(second->second == caf::error{});
  run_for(100ms);
  CHECK(is_error(first->second, berry_errc::unavailable));
  CHECK(is_error(second->second, berry_errc::unavailable));
  // Hosted later, nothing is answered twice and new requests are served.
  caf::anon_send(gate, gate_host_atom::value, int64_t{5});
  sched.run();
  CHECK(first->first == -1);
  CHECK(ask(caf::get_atom_v).first == 7);
}

TEST_CASE_METHOD(gate_fixture,
                 "told to stop waiting, a gate answers those waiting "
                 "unavailable at once") {
  caf::anon_send(gate, gate_wait_atom::value, true);
  ask(caf::get_atom_v);
  CHECK(last->second == caf::error{});
  caf::anon_send(gate, gate_wait_atom::value, false);
  sched.run();
  CHECK(is_error(last->second, berry_errc::unavailable));
}
