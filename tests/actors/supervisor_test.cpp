// Supervision: a crashed warehouse comes back from storage, requests sent
// meanwhile are not lost, restarts back off and stop at a limit.

#include <stdexcept>

#include <catch2/catch.hpp>

#include "actors/supervisor.hpp"
#include "node_fixture.hpp"

using namespace berry;
using namespace berry::test;
using namespace std::chrono_literals;

TEST_CASE("a crashed warehouse comes back with its stock and reservations") {
  node_fixture node;
  std::optional<caf::expected<order_record>> created;
  node.ask_orders(created, checkout_atom_v,
                  node.checkout("k1", "p-kettle", 2, "tok_slow"));
  node.run_for(500ms);
  REQUIRE(created);
  REQUIRE(*created);
  auto id = (**created).id;
  REQUIRE(node.stored(id).status == order_status::reserved);
  auto first = node.warehouse_children.at("w-near");
  caf::anon_send_exit(first, caf::exit_reason::kill);
  node.run_for(6s);
  CHECK(node.warehouse_children.at("w-near") != first);
  // The saga went on against the new warehouse, which knew the reservation.
  auto x = node.stored(id);
  CHECK(x.status == order_status::paid);
  CHECK(node.on_hand("p-kettle") == 1);
  CHECK(node.reserved("p-kettle") == 0);
  // And it still refuses what it does not have.
  auto more = node.place(node.checkout("k2", "p-kettle", 2, "tok_ok"));
  CHECK(more.cancel_reason == compensation_reason::out_of_stock);
  CHECK(node.on_hand("p-kettle") == 1);
}

TEST_CASE(
    "a request sent while a warehouse is down is answered after its restart") {
  node_fixture node;
  caf::anon_send_exit(node.warehouse_children.at("w-near"),
                      caf::exit_reason::kill);
  std::optional<stock_level> level;
  auto w = node.actors.warehouses.at("w-near");
  node.sys.spawn([&level, w](caf::event_based_actor* self) {
    self->request(w, caf::infinite, stock_atom_v, caf::get_atom_v,
                  std::string{"p-kettle"})
        .then([&level](const stock_level& l) { level = l; });
  });
  node.sched.run();
  CHECK_FALSE(level); // down, waiting for the restart
  node.run_for(200ms);
  REQUIRE(level);
  CHECK(level->on_hand == 3);
  CHECK(level->warehouse_id == "w-near");
}

namespace {

caf::behavior idle_child(caf::event_based_actor*) {
  return {[](caf::get_atom) { return 42; }};
}

} // namespace

TEST_CASE_METHOD(
    actor_fixture,
    "restarts back off and the supervisor gives up past its limit") {
  std::vector<caf::actor> children;
  supervisor_init si;
  si.name = "test child";
  si.start = [](caf::actor_system& s) { return s.spawn(idle_child); };
  si.on_start = [&children](const caf::actor& c) { children.push_back(c); };
  si.restart.max_restarts = 2;
  si.restart.backoff = 100ms;
  auto sup = spawn_supervisor(sys, si);
  caf::error went_down;
  bool down = false;
  auto watcher =
      sys.spawn([&, sup](caf::event_based_actor* self) -> caf::behavior {
        self->monitor(sup);
        self->set_down_handler([&](caf::down_msg& m) {
          down = true;
          went_down = m.reason;
        });
        return {[](caf::get_atom) {}}; // stays alive to hear the down message
      });
  sched.run();
  REQUIRE(children.size() == 1);
  caf::anon_send_exit(children.back(), caf::exit_reason::kill);
  sched.run();
  sched.advance_time(99ms);
  sched.run();
  CHECK(children.size() == 1); // still pausing
  sched.advance_time(1ms);
  sched.run();
  REQUIRE(children.size() == 2);
  caf::anon_send_exit(children.back(), caf::exit_reason::kill);
  sched.run();
  sched.advance_time(199ms);
  sched.run();
  CHECK(children.size() == 2); // the pause doubled
  sched.advance_time(1ms);
  sched.run();
  REQUIRE(children.size() == 3);
  caf::anon_send_exit(children.back(), caf::exit_reason::kill);
  sched.run();
  CHECK(down);
  CHECK(went_down == caf::exit_reason::kill);
  caf::anon_send_exit(watcher, caf::exit_reason::user_shutdown);
}

TEST_CASE_METHOD(actor_fixture, "a supervisor forwards requests to its child") {
  supervisor_init si;
  si.name = "test child";
  si.start = [](caf::actor_system& s) { return s.spawn(idle_child); };
  auto sup = spawn_supervisor(sys, si);
  int answer = 0;
  sys.spawn([&answer, sup](caf::event_based_actor* self) {
    self->request(sup, caf::infinite, caf::get_atom_v).then([&answer](int x) {
      answer = x;
    });
  });
  sched.run();
  CHECK(answer == 42);
  caf::anon_send_exit(sup, caf::exit_reason::user_shutdown);
}

TEST_CASE_METHOD(actor_fixture,
                 "a child whose store is away is started once the store is "
                 "back, and the wait is not counted as crashes") {
  std::vector<caf::actor> children;
  int store_away = 0; // how many more starts find the store away
  supervisor_init si;
  si.name = "test child";
  si.start = [&store_away](caf::actor_system& s) {
    if (store_away > 0) {
      --store_away;
      throw std::runtime_error("cannot connect to the database");
    }
    return s.spawn(idle_child);
  };
  si.on_start = [&children](const caf::actor& c) { children.push_back(c); };
  si.restart.max_restarts = 1;
  si.restart.backoff = 100ms;
  auto sup = spawn_supervisor(sys, si);
  sched.run();
  REQUIRE(children.size() == 1);

  store_away = 10; // far more tries than the restart limit allows crashes
  caf::anon_send_exit(children.back(), caf::exit_reason::kill);
  int answer = 0;
  sys.spawn([&answer, sup](caf::event_based_actor* self) {
    self->request(sup, caf::infinite, caf::get_atom_v).then([&answer](int x) {
      answer = x;
    });
  });
  sched.run();
  for (int i = 0; i < 40 && children.size() == 1; ++i) {
    sched.advance_time(100ms);
    sched.run();
  }
  // The supervisor waited out the store and started the child; the request
  // sent meanwhile got its answer.
  CHECK(store_away == 0);
  REQUIRE(children.size() == 2);
  CHECK(answer == 42);
  caf::anon_send_exit(sup, caf::exit_reason::user_shutdown);
}
