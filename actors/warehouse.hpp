#pragma once

// A warehouse actor: the single writer of one warehouse's stock. It decides
// every change of its stock one message at a time (reservations, commits,
// releases, restocks, admin counts), journals it, and reports availability
// to the catalog. Reservations lapse by themselves after a ttl.

#include <chrono>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "protocols/commerce.hpp"
#include "protocols/errors.hpp"
#include "protocols/interfaces.hpp"
#include "protocols/types.hpp"

namespace caf {
class actor_system;
}

namespace berry {

/// What a warehouse holds, or did, for one order.
struct order_hold {
  hold_state state = hold_state::none;
  /// One line per product (product_id, qty); kept while reserved or
  /// committed, so a restock knows what to put back.
  std::vector<order_line> lines;
  /// When a reserved hold lapses (Unix ms).
  int64_t expires_at_ms = 0;
  /// The saga's attempt it was last reserved or released for (0: none
  /// given). A released hold refuses a reserve of this attempt or an
  /// earlier one: it arrived late, after the saga gave it up.
  int64_t attempt = 0;
};

/// A hold as storage gives it back, with the order it is held for.
struct stored_hold {
  std::string order_id;
  order_hold hold;
};

/// One change a warehouse decided: stock deltas and the hold of one order
/// before and after. Applying it and undoing it commute with other changes.
struct warehouse_change {
  /// Empty for an admin change of on-hand.
  std::string order_id;
  std::optional<order_hold> before;
  std::optional<order_hold> after;
  /// Units added to on_hand and reserved, per product (may be negative).
  std::vector<stock_level> deltas;
  /// True when it changes nothing (an idempotent repeat).
  bool empty() const { return deltas.empty() && !after; }
};

/// The answer of a decision: an error with a readable detail, or a change
/// (possibly empty).
struct warehouse_decision {
  berry_errc error = berry_errc::none;
  std::string detail;
  warehouse_change change;
};

/// One warehouse's stock and holds; pure methods, tested without actors.
/// Every reserved hold is in memory; a settled one (committed, released,
/// restocked) only until it is forgotten once stored, and again after it
/// is recalled from storage for an order that comes back.
struct warehouse_state {
  warehouse_info info;
  std::unordered_map<std::string, stock_level> stock;
  /// The holds in memory, by order id. Read freely; change them only through
  /// the methods, which keep `expiry` in step.
  std::unordered_map<std::string, order_hold> orders;
  /// (expires_at_ms, order id) of every reserved hold, earliest first.
  std::set<std::pair<int64_t, std::string>> expiry;

  /// The stock of `product_id` here; zero for a product never stocked.
  stock_level get(const std::string& product_id) const;
  /// validation for a negative count, conflict when fewer than the reserved
  /// units would remain, none otherwise.
  berry_errc check_on_hand(const std::string& product_id,
                           int64_t on_hand) const;
  /// Sets on-hand (after check_on_hand said none) and returns the new level.
  stock_level set_on_hand(const std::string& product_id, int64_t on_hand);

  /// Sets on-hand of a product (admin).
  warehouse_decision decide_on_hand(const std::string& product_id,
                                    int64_t on_hand) const;
  /// Holds every line of `r` until `expires_at_ms`, or none (out_of_stock
  /// naming the first short product). A held order changes nothing; one
  /// released for `r.attempt` or a later attempt is refused (conflict).
  warehouse_decision decide_reserve(const reserve_request& r,
                                    int64_t expires_at_ms) const;
  /// Turns a reservation into a sale; conflict once released or lapsed
  /// (also when due at `now_ms` but not yet released), not_found if unknown.
  warehouse_decision decide_commit(const std::string& order_id,
                                   int64_t now_ms) const;
  /// Lets a reservation go; nothing to do unless it is reserved. With the
  /// saga's `attempt` (> 0): a hold of a later attempt stays, and the
  /// release is remembered when nothing is held, so that a reserve of this
  /// attempt that arrives later is refused.
  warehouse_decision decide_release(const std::string& order_id,
                                    int64_t attempt = 0) const;
  /// Releases a reservation whose time is up at `now_ms`; nothing otherwise.
  warehouse_decision decide_expire(const std::string& order_id,
                                   int64_t now_ms) const;
  /// Puts a committed order's units back on hand; conflict unless committed
  /// (or already restocked: nothing to do).
  warehouse_decision decide_restock(const std::string& order_id) const;

  /// Makes a decided change real.
  void apply(const warehouse_change& c);
  /// Takes back a change whose journal write failed. Later changes stay:
  /// stock goes back by the deltas, the hold only if it is still ours.
  void undo(const warehouse_change& c);
  /// The journal commands that store `c`, stamped `now_ms`.
  journal_batch batch(const warehouse_change& c, int64_t now_ms) const;

  /// Takes the stored holds still reserved (storage::
  /// load_live_reservations), each with the attempt it was reserved for.
  void resume(const std::vector<stored_hold>& live);
  /// Puts a hold found in storage back in memory, unless one is there.
  void recall(const std::string& order_id, order_hold h);
  /// Lets a settled hold leave memory (storage keeps it); a reserved one
  /// stays. True when it left.
  bool forget(const std::string& order_id);
  /// Sets the hold of an order, keeping the expiry index in step.
  void set_hold(const std::string& order_id, order_hold h);
  /// Drops the hold of an order from memory, and from the expiry index.
  void drop_hold(const std::string& order_id);

  /// The reservation held (or committed) for an order.
  reservation reservation_of(const std::string& order_id) const;
  /// Reserved orders whose time is up at `now_ms`, earliest first; costs
  /// what is due, not what is held.
  std::vector<std::string> due(int64_t now_ms) const;
  /// The earliest expiry of a reserved order, if any.
  std::optional<int64_t> next_expiry() const;

  /// Availability of every product here, for the catalog.
  availability_report report_all() const;
  /// Availability of one product here.
  availability_report report_one(const std::string& product_id) const;
  /// Availability of the products `c` touched.
  availability_report report(const warehouse_change& c) const;
};

/// Finds the stored hold of an order that is not in memory (nullopt when
/// the warehouse never did anything for it); throws when storage fails.
using hold_finder =
    std::function<std::optional<order_hold>(const std::string& order_id)>;

/// How a warehouse starts: its identity, its stock and live reservations
/// from storage, where it finds the rest, and whom it talks to.
struct warehouse_init {
  warehouse_info info;
  std::vector<stock_level> stock;
  journal_actor journal;
  /// In a cluster: the warehouse's shard and the epoch this node holds it
  /// at, carried by every change it journals (a change after a takeover is
  /// refused and the warehouse stops). Epoch 0: none (a single node).
  shard_fence fence;
  catalog_actor catalog;
  /// Reservations still held, with their attempts (storage::
  /// load_live_reservations).
  std::vector<stored_hold> reservations;
  /// Settled holds, asked when an order not in memory comes back; none
  /// stored when empty.
  hold_finder find_hold;
  /// How long a reservation is held.
  std::chrono::milliseconds reservation_ttl{std::chrono::minutes(15)};
};

/// A finder of warehouse `warehouse_id`'s holds in the database at `db_path`,
/// on its own read-only connection, opened on first use.
hold_finder sqlite_hold_finder(std::string db_path, std::string warehouse_id);

/// How warehouse `info` starts from the database at `db_path`: its stock,
/// its live reservations and a finder of the rest. The caller adds the
/// journal, the catalog and the reservation ttl.
warehouse_init warehouse_init_from(const std::string& db_path,
                                   warehouse_info info);

/// Spawns a warehouse actor; it reports its availability to the catalog at
/// once and re-arms the expiry of the reservations it was given.
warehouse_actor spawn_warehouse(caf::actor_system& sys, warehouse_init init);

} // namespace berry
