#pragma once

// The bridge from the edge to the actors: a handler asks an actor and gets
// the answer in a callback, on a CAF thread, without blocking any Asio
// thread. Responders may be called from any thread (they post back onto the
// session's strand), so the callbacks can answer directly.
//
// This header includes caf/all.hpp: include it only in the route files that
// talk to actors.

#include <chrono>
#include <utility>

#include <caf/all.hpp>

#include "http/problem.hpp"

namespace berry::http {

/// How long the edge waits for an actor before it answers 504.
inline constexpr auto default_ask_timeout = std::chrono::seconds(15);

/// Sends `xs...` to `dest` as a request; calls `on_value(results...)` with
/// the answer (as lvalues: take them by reference to move from them), or
/// `on_error(problem)` with the error mapped to a problem
/// (timeouts and dead actors included). `Results` are the answer's types.
template <class... Results, class Handle, class OnValue, class OnError,
          class... Ts>
void ask(caf::actor_system& sys, const Handle& dest, caf::timespan timeout,
         OnValue on_value, OnError on_error, Ts&&... xs) {
  if (!dest) {
    on_error(make_problem(berry_errc::unavailable, "service unavailable"));
    return;
  }
  sys.spawn([=](caf::event_based_actor* self) mutable {
    self->request(dest, timeout, xs...)
        .then([=](Results&... rs) mutable { on_value(rs...); },
              [=](caf::error& err) mutable { on_error(make_problem(err)); });
  });
}

} // namespace berry::http
