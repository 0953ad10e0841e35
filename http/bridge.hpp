#pragma once

// The bridge from the edge to the actors: a handler asks an actor and gets
// the answer in a callback, on a CAF thread, without blocking any Asio
// thread. Responders may be called from any thread (they post back onto the
// session's strand), so the callbacks can answer directly.
//
// This header includes caf/all.hpp: include it only in the route files that
// talk to actors.

#include <chrono>
#include <type_traits>
#include <utility>

#include <caf/all.hpp>

#include "http/problem.hpp"

namespace berry::http {

/// How long the edge waits for an actor before it answers 504.
inline constexpr auto default_ask_timeout = std::chrono::seconds(15);

/// Calls `on_error` with `err`, or with its problem when it takes one.
template <class OnError>
void fail_with(OnError& on_error, caf::error& err) {
  if constexpr (std::is_invocable_v<OnError&, caf::error&>)
    on_error(err);
  else
    on_error(make_problem(err));
}

/// Sends `xs...` to `dest` as a request; calls `on_value(results...)` with
/// the answer (as lvalues: take them by reference to move from them), or
/// `on_error(problem)` with the error mapped to a problem
/// (timeouts and dead actors included); an `on_error` that takes the
/// caf::error itself gets that (to read more of its context than the
/// problem keeps). `Results` are the answer's types.
template <class... Results, class Handle, class OnValue, class OnError,
          class... Ts>
void ask(caf::actor_system& sys, const Handle& dest, caf::timespan timeout,
         OnValue on_value, OnError on_error, Ts&&... xs) {
  if (!dest) {
    auto err = caf::make_error(berry_errc::unavailable, "service unavailable");
    fail_with(on_error, err);
    return;
  }
  sys.spawn([=](caf::event_based_actor* self) mutable {
    self->request(dest, timeout, xs...)
        .then([=](Results&... rs) mutable { on_value(rs...); },
              [=](caf::error& err) mutable { fail_with(on_error, err); });
  });
}

} // namespace berry::http
