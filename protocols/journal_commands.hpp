#pragma once

// What actors ask the journal to store: one typed record per kind of write,
// never SQL. Only storage/ knows how a command becomes rows (for SQLite:
// storage/sqlite_commands.cpp), so a second backend plugs in there and
// nothing here names a table or a dialect.

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <caf/meta/type_name.hpp>
#include <caf/variant.hpp>

#include "protocols/commerce.hpp"
#include "protocols/status.hpp"
#include "protocols/types.hpp"

namespace berry {

/// A new order: its row, its lines and its history so far.
struct order_created {
  order_record order;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, order_created& x) {
  return f(caf::meta::type_name("order_created"), x.order);
}

/// The order's lines as planned: each with its warehouse (a line may have
/// been split over several), or without one again when a plan fell through.
struct order_lines_planned {
  std::string order_id;
  std::vector<order_line> lines;
  /// The plan's attempt (order_record::attempt).
  int64_t attempt = 0;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, order_lines_planned& x) {
  return f(caf::meta::type_name("order_lines_planned"), x.order_id, x.lines,
           x.attempt);
}

/// The order reached `entry.status`: its row takes the status and the fields
/// that move with it, and its history gets the entry.
struct order_status_changed {
  std::string order_id;
  status_change entry;
  std::string payment_id;
  compensation_reason cancel_reason = compensation_reason::none;
  std::string courier_id;
  geo_point courier_location;
  int64_t eta_s = -1;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, order_status_changed& x) {
  return f(caf::meta::type_name("order_status_changed"), x.order_id, x.entry,
           x.payment_id, x.cancel_reason, x.courier_id, x.courier_location,
           x.eta_s);
}

/// A compensation begins: its reason is stored before anything is undone,
/// so a restarted order finishes it.
struct order_cancel_reason_set {
  std::string order_id;
  compensation_reason reason = compensation_reason::none;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f,
                                        order_cancel_reason_set& x) {
  return f(caf::meta::type_name("order_cancel_reason_set"), x.order_id,
           x.reason);
}

/// Stock of one product in one warehouse moves by `delta.on_hand` and
/// `delta.reserved` (either may be negative); the row is made when missing.
/// `sold` moves the units the warehouse has sold of it: up by a commit, down
/// by a restock (the popular sort reads their sum, not the orders).
struct stock_changed {
  stock_level delta;
  int64_t sold = 0;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, stock_changed& x) {
  return f(caf::meta::type_name("stock_changed"), x.delta, x.sold);
}

/// What one warehouse now does for one order, stamped `at_ms`. A reserved hold
/// stores its lines and expiry; a committed one keeps the lines stored before,
/// so a restock knows what to return; any other state drops them.
struct hold_changed {
  std::string order_id;
  std::string warehouse_id;
  hold_state state = hold_state::none;
  std::vector<order_line> lines;
  int64_t expires_at_ms = 0;
  int64_t at_ms = 0;
  /// The saga's attempt the hold was last reserved or released for.
  int64_t attempt = 0;
  /// True when the warehouse had no hold of the order before this change
  /// (it recalls a stored one before it decides): no lines of it are
  /// stored, so a reserved hold stores its own without deleting any first.
  bool fresh = false;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, hold_changed& x) {
  return f(caf::meta::type_name("hold_changed"), x.order_id, x.warehouse_id,
           x.state, x.lines, x.expires_at_ms, x.at_ms, x.attempt, x.fresh);
}

/// One line of a user's cart set to `qty` (1..99), or removed (0).
struct cart_line_set {
  std::string user_id;
  std::string product_id;
  int32_t qty = 0;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, cart_line_set& x) {
  return f(caf::meta::type_name("cart_line_set"), x.user_id, x.product_id,
           x.qty);
}

/// Every line of a user's cart removed.
struct cart_cleared {
  std::string user_id;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, cart_cleared& x) {
  return f(caf::meta::type_name("cart_cleared"), x.user_id);
}

/// A courier and its last known position.
struct courier_moved {
  courier_info courier;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, courier_moved& x) {
  return f(caf::meta::type_name("courier_moved"), x.courier);
}

/// A product added or changed (admin).
struct product_put {
  product item;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, product_put& x) {
  return f(caf::meta::type_name("product_put"), x.item);
}

/// A new account; a taken email (or id) makes the journal answer conflict.
struct user_created {
  user_account user;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, user_created& x) {
  return f(caf::meta::type_name("user_created"), x.user);
}

/// The admin account from the environment: created, or the account with
/// its email made admin again with its password hash (id, name and history
/// stay).
struct admin_put {
  user_account admin;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, admin_put& x) {
  return f(caf::meta::type_name("admin_put"), x.admin);
}

/// A token signed out (POST /api/v1/auth/logout): refused until it would
/// have expired anyway (`expires_at`, Unix seconds).
struct token_revoked {
  std::string token_id;
  std::string user_id;
  int64_t expires_at = 0;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, token_revoked& x) {
  return f(caf::meta::type_name("token_revoked"), x.token_id, x.user_id,
           x.expires_at);
}

/// One entry of the built-in payment provider's books: a charge or a
/// refund, by idempotency key.
struct provider_payment {
  std::string key;
  std::string payment_id;
  std::string order_id;
  payment_kind kind = payment_kind::charge;
  int64_t amount = 0; ///< kopecks
  std::string token;
  /// captured, declined, refunded or failed (a provider error; retryable)
  payment_status status = payment_status::none;
  int64_t attempts = 0; ///< tries the provider made for this key
  int64_t created_at_ms = 0;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, provider_payment& x) {
  return f(caf::meta::type_name("provider_payment"), x.key, x.payment_id,
           x.order_id, x.kind, x.amount, x.token, x.status, x.attempts,
           x.created_at_ms);
}

/// The provider's first try for a key, or a new outcome for a known key
/// (its payment id, order, kind and amount stay as first recorded).
struct payment_recorded {
  provider_payment payment;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, payment_recorded& x) {
  return f(caf::meta::type_name("payment_recorded"), x.payment);
}

/// One more try of the provider for a known key, and its outcome.
struct payment_retried {
  std::string key;
  payment_status status = payment_status::none;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, payment_retried& x) {
  return f(caf::meta::type_name("payment_retried"), x.key, x.status);
}

/// A row of the journal_probe table: the durability tests and the journal
/// benchmark write these.
struct probe_written {
  std::string payload;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, probe_written& x) {
  return f(caf::meta::type_name("probe_written"), x.payload);
}

/// Any one write the journal takes.
using journal_command =
    caf::variant<order_created, order_lines_planned, order_status_changed,
                 order_cancel_reason_set, stock_changed, hold_changed,
                 cart_line_set, cart_cleared, courier_moved, product_put,
                 user_created, admin_put, token_revoked, payment_recorded,
                 payment_retried, probe_written>;

/// The shard a batch writes (in a cluster) and the epoch its writer holds it
/// at. A batch whose shard has since been taken over at a higher epoch is
/// refused whole (berry_errc::shard_moved). Epoch 0: no fence of its own.
struct shard_fence {
  int64_t shard = 0;
  int64_t epoch = 0;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, shard_fence& x) {
  return f(caf::meta::type_name("shard_fence"), x.shard, x.epoch);
}

/// The commands of one sender that are stored together or not at all. An
/// empty batch is a barrier: its answer says that everything sent before it
/// is stored.
struct journal_batch {
  std::vector<journal_command> commands;
  shard_fence fence;

  journal_batch() = default;
  journal_batch(std::vector<journal_command> xs, shard_fence f = {})
      : commands(std::move(xs)), fence(f) {}
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, journal_batch& x) {
  return f(caf::meta::type_name("journal_batch"), x.commands, x.fence);
}

} // namespace berry
