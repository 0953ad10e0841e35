#pragma once

// Inside the warehouse actor (actors/warehouse.hpp): what it keeps, and how
// it settles a decided change. actors/warehouse.cpp has the behaviour and
// the expiry timer, actors/warehouse_settle.cpp settles each change (recall,
// decide, apply, journal, undo). Included by those two only.

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <unordered_map>

#include <caf/expected.hpp>
#include <caf/result.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include "actors/clock.hpp"
#include "actors/warehouse.hpp"

namespace berry::warehouse_impl {

/// The actor's state: the pure warehouse plus what only an actor has.
struct warehouse_actor_state {
  warehouse_state wh;
  journal_actor journal;
  /// The warehouse's shard and epoch in a cluster; every change carries it.
  shard_fence fence;
  catalog_actor catalog;
  hold_finder find_hold;
  std::chrono::milliseconds ttl{std::chrono::minutes(15)};
  std::optional<wall_clock> wall;
  /// When the armed expiry timer fires (wall ms), if one is armed.
  std::optional<int64_t> timer_at;
  /// Journal writes on their way, per order id ("" for admin counts).
  std::unordered_map<std::string, int> inflight;
  static inline const char* name = "warehouse";
};

using warehouse_self = warehouse_actor::stateful_pointer<warehouse_actor_state>;

using decide_fn = std::function<warehouse_decision(const warehouse_state&)>;
template <class T>
using answer_fn = std::function<T(const warehouse_state&)>;
template <class T>
using done_fn = std::function<void(caf::expected<T>)>;

/// Now, in wall ms, on the actor's clock.
int64_t now_ms(warehouse_self self);

/// Arms the expiry timer for the earliest reservation, unless an armed
/// timer fires before it anyway.
void arm(warehouse_self self, std::chrono::milliseconds at_least = {});

/// Decides about `order_id` ("" for an admin count), applies, journals it
/// with `extra` in one batch, and calls `done` once the outcome is durable.
/// For T in stock_level, reservation and bool.
template <class T>
void settle(warehouse_self self, const std::string& order_id, decide_fn decide,
            answer_fn<T> answer, done_fn<T> done, journal_batch extra = {});

/// settle, answering the sender of the current message.
template <class T>
caf::result<T> run(warehouse_self self, const std::string& order_id,
                   decide_fn decide, answer_fn<T> answer,
                   journal_batch extra = {});

} // namespace berry::warehouse_impl
