#pragma once

// The pure part of a dispatcher: its couriers, its deliveries and the line
// of deliveries waiting for a courier, with the decisions about them (who
// takes what, what happens when a courier drops out). No actors here;
// tests/actors/dispatcher_state_test.cpp drives it directly.
//
// One delivery, as the dispatcher sees it:
//
//   packing ──(packing time)──> queued ──(a free courier)──> assigning
//                                  ^                              │ accepted
//                                  │ courier off duty or crashed  v
//                                  └───────────────────────── carried ──> gone
//                                                          (delivered/cancelled)
//
// A parcel already picked up by a courier who then drops out is handed over
// where that courier was last seen: the next courier collects it there.

#include <deque>
#include <map>
#include <optional>
#include <string>

#include <caf/actor.hpp>

#include "actors/logistics.hpp"
#include "actors/restart_policy.hpp"
#include "protocols/interfaces.hpp"

namespace berry {

enum class delivery_stage { packing, queued, assigning, carried };

/// One delivery the dispatcher looks after.
struct delivery_job {
  delivery_task task;
  /// The order actor to tell; replaced when a restarted order asks again.
  caf::actor order;
  delivery_stage at = delivery_stage::packing;
  /// The latest status the order was told (or told us), for a repeat.
  order_status latest = order_status::none;
  std::string courier_id;
  /// A courier the delivery should go back to (resumed after a restart).
  std::string preferred;
  bool picked_up = false;
  /// Picked up by a courier who dropped out: the next courier collects the
  /// parcel where that one was last seen (the only pickup left).
  bool handover = false;
  geo_point location;
  int64_t eta_s = -1;

  /// The first place a courier must reach for it.
  geo_point first_stop() const;
  /// The parcel is handed over: the next courier collects it at `where`
  /// (its only pickup left).
  void collect_at(geo_point where);
};

/// One courier as the dispatcher sees it.
struct courier_slot {
  courier_actor handle;
  courier_info info;
  /// idle, assigning, to_pickup or to_dropoff
  courier_state status = courier_state::idle;
  std::string order_id;
  int64_t eta_s = -1;
  bool online = true;
  /// Down and not (yet) started again.
  bool down = false;
  restart_history restarts;

  /// On duty, running and without a delivery.
  bool free() const { return online && !down && order_id.empty(); }
  /// Drops whatever delivery it had.
  void release();
  /// What the admin sees of it.
  courier_status status_of() const;
};

/// A delivery and the courier chosen for it.
struct assignment {
  delivery_job* job;
  courier_slot* courier;
};

/// Couriers, deliveries and the line; pure methods.
struct dispatcher_state {
  std::map<std::string, courier_slot> couriers;
  std::map<std::string, delivery_job> deliveries;
  /// Deliveries waiting for a courier, first come first served.
  std::deque<std::string> queue;

  /// Where courier `courier_id` was last seen; `otherwise` if unknown.
  geo_point last_seen(const std::string& courier_id, geo_point otherwise) const;
  /// The free courier to take `d`: its own one after a restart, else the
  /// nearest along the streets (ties by id); none when all are busy.
  courier_slot* choose(const delivery_job& d);
  /// The first delivery in line that a free courier can take now, taken out
  /// of the line with its courier marked as assigning; a parcel that stays
  /// with another courier is to be collected from that one. None when the
  /// line is empty or no courier is free.
  std::optional<assignment> next_assignment();
  /// What to send the courier of `a`: the task, with picked_up when the
  /// parcel is on board already.
  delivery_task task_for(const assignment& a) const;
  /// The courier accepted: the delivery is carried, with an ETA from
  /// `params`. The delivery, or none if it changed hands meanwhile.
  delivery_job* accepted(const std::string& order_id,
                         const std::string& courier_id,
                         const logistics_params& params);
  /// The courier refused (or did not answer): the delivery goes back to
  /// the front of the line.
  void refused(const std::string& order_id, const std::string& courier_id);
  /// A delivery resumed after a restart (packed, or on its way with a
  /// courier) joins the line; it goes back to its courier if that one is
  /// free, and a parcel whose courier is gone is collected where it was
  /// last seen.
  void resume(delivery_job d);
  /// Puts a delivery back in line, first, after its courier dropped out at
  /// `where`; a parcel already picked up is collected there.
  void requeue(const std::string& order_id, geo_point where);
  /// Courier `courier_id` dropped out at `where` (off duty or crashed): it
  /// is free of its delivery, which goes back in line, first; `on_board`
  /// says the courier had picked the parcel up.
  void drop_out(const std::string& courier_id, geo_point where, bool on_board);
  /// Frees courier `courier_id` if it still carries `order_id`.
  void release(const std::string& courier_id, const std::string& order_id);
};

} // namespace berry
