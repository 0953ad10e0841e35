#pragma once

// The dispatcher and its couriers on the deterministic scheduler, with
// stand-ins for orders that hand deliveries over and record every event the
// dispatcher tells them. Time moves only when the test moves it.

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "actors/dispatcher.hpp"
#include "actors/street_route.hpp"
#include "fixture.hpp"
#include "protocols/errors.hpp"

namespace berry::test {

/// Where deliveries start and end in these tests (Moscow).
inline const geo_point warehouse_a{55.7000, 37.6000};
inline const geo_point address_a{55.7300, 37.6400};

struct logistics_fixture : actor_fixture {
  logistics_params params;
  dispatcher_actor dispatcher;
  std::map<std::string, courier_actor> courier_actors;
  /// Events per order, as its stand-in received them.
  std::map<std::string, std::shared_ptr<std::vector<delivery_event>>> events;
  std::map<std::string, caf::actor> stand_ins;

  logistics_fixture() {
    // 100x: a movement step every 50 ms, 5 simulated seconds each.
    params.time_scale = 100;
  }

  void start(std::vector<courier_info> couriers,
             std::chrono::milliseconds restart_delay = std::chrono::hours(1)) {
    dispatcher_init init;
    init.couriers = std::move(couriers);
    init.params = params;
    init.restart.backoff = restart_delay;
    init.on_spawn = [this](const std::string& id, const courier_actor& c) {
      courier_actors[id] = c;
    };
    dispatcher = spawn_dispatcher(sys, std::move(init));
    sched.run();
  }

  ~logistics_fixture() {
    caf::anon_send_exit(dispatcher, caf::exit_reason::user_shutdown);
    for (auto& [id, a] : stand_ins)
      caf::anon_send_exit(a, caf::exit_reason::user_shutdown);
    drain_now();
  }

  void drain_now() { sched.run(); }

  /// A delivery of order `id` from `pickups` to `dropoff`, in `status`.
  static delivery_task task(const std::string& id,
                            std::vector<geo_point> pickups = {warehouse_a},
                            geo_point dropoff = address_a,
                            order_status status = order_status::paid,
                            std::string courier = {}) {
    return {id, std::move(status), std::move(courier), std::move(pickups),
            dropoff};
  }

  /// Hands `t` to the dispatcher from a stand-in for its order.
  void dispatch(delivery_task t) {
    auto log = std::make_shared<std::vector<delivery_event>>();
    events[t.order_id] = log;
    auto d = dispatcher;
    auto a = sys.spawn([log, d](caf::event_based_actor* self) -> caf::behavior {
      return {
          [log](delivery_atom, const delivery_event& e) { log->push_back(e); },
          [self, d](dispatch_atom, delivery_task& t) {
            self->request(d, caf::infinite, dispatch_atom_v, t).then([](bool) {
            });
          },
      };
    });
    stand_ins[t.order_id] = a;
    caf::anon_send(a, dispatch_atom_v, std::move(t));
    sched.run();
  }

  /// The statuses order `id` was told, in order.
  std::vector<order_status> statuses(const std::string& id) {
    std::vector<order_status> out;
    for (auto& e : *events[id])
      if (e.status != order_status::none)
        out.push_back(e.status);
    return out;
  }

  /// The last event with `status` for order `id` (none: a move).
  std::optional<delivery_event> last(const std::string& id,
                                     order_status status) {
    std::optional<delivery_event> out;
    for (auto& e : *events[id])
      if (e.status == status)
        out = e;
    return out;
  }

  bool told(const std::string& id, order_status status) {
    return last(id, status).has_value();
  }

  /// Asks the dispatcher; the answer or the error.
  template <class T, class... Ts>
  caf::expected<T> ask(Ts... xs) {
    std::optional<caf::expected<T>> out;
    auto d = dispatcher;
    sys.spawn([=, &out](caf::event_based_actor* self) {
      self->request(d, caf::infinite, xs...)
          .then([&out](T& x) { out = std::move(x); },
                [&out](caf::error& e) { out = caf::expected<T>{e}; });
    });
    sched.run();
    if (!out)
      return caf::make_error(berry_errc::unavailable, "no answer");
    return std::move(*out);
  }

  courier_status courier(const std::string& id) {
    auto all = ask<std::vector<courier_status>>(list_atom_v);
    for (auto& c : *all)
      if (c.id == id)
        return c;
    throw std::runtime_error("no courier " + id);
  }
};

} // namespace berry::test
