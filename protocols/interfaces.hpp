#pragma once

// The typed interfaces of Berry's actors: what each one answers, and with what.

#include <cstdint>
#include <string>

#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>

#include "protocols/commerce.hpp"
#include "protocols/journal_commands.hpp"
#include "protocols/type_ids.hpp"
#include "protocols/types.hpp"

namespace berry {

/// The single writer of the database. Commits the batches of typed commands
/// of all actors in group transactions and answers each sender only after
/// its commit; the answer is the sequence number of that commit.
using journal_actor =
    caf::typed_actor<caf::replies_to<write_atom, journal_batch>::with<uint64_t>,
                     caf::replies_to<stats_atom>::with<journal_stats>,
                     caf::reacts_to<flush_atom>,
                     /// Commits what it holds, answers those senders, then
                     /// quits. An ordinary message, so every write sent before
                     /// it is committed first.
                     caf::reacts_to<caf::close_atom>>;

/// One warehouse: the single writer of its stock. Every change is journaled
/// before it is answered.
using warehouse_actor = caf::typed_actor<
    /// The stock of one product here (zero stock for a product never seen).
    caf::replies_to<stock_atom, caf::get_atom, std::string>::with<stock_level>,
    /// Sets on-hand of one product (admin). validation for a negative count,
    /// conflict when fewer than the reserved units would remain.
    caf::replies_to<stock_atom, caf::put_atom, std::string,
                    int64_t>::with<stock_level>,
    /// Holds every line for the order, or none (out_of_stock). Asking again
    /// for the same order answers the reservation it already holds.
    caf::replies_to<reserve_atom, reserve_request>::with<reservation>,
    /// The same, storing `with` (the order's plan) in the same transaction
    /// as the reservation, or alone when it is held already.
    caf::replies_to<reserve_atom, reserve_request,
                    journal_batch>::with<reservation>,
    /// Turns the order's reservation into a sale: on-hand and reserved go
    /// down. Idempotent (true again once committed); conflict when the
    /// reservation expired or was released; not_found when there never was one.
    caf::replies_to<commit_atom, std::string>::with<bool>,
    /// The same, storing `with` (the order's next status) in the same
    /// transaction as the sale, or alone when the sale is stored already:
    /// one commit where the order would wait for two.
    caf::replies_to<commit_atom, std::string, journal_batch>::with<bool>,
    /// Lets the order's reservation go. Idempotent: true also when nothing is
    /// held (never reserved, expired, released). With the saga's attempt
    /// (> 0; 0: none): a hold of a later attempt stays, and a reserve of
    /// this attempt or an earlier one that arrives afterwards is refused
    /// (conflict), also when nothing was held yet.
    caf::replies_to<release_atom, std::string, int64_t>::with<bool>,
    /// Puts a committed order's units back on hand (a return, or a cancel after
    /// payment). Idempotent per order; conflict unless the order was committed.
    caf::replies_to<restock_atom, std::string>::with<bool>,
    /// Timer: releases the reservations whose time is up.
    caf::reacts_to<expire_atom>>;

/// The built-in payment provider. It behaves like a remote one: latency,
/// transient errors, and idempotency by key on its side.
using provider_actor = caf::typed_actor<
    /// captured or declined; a transient failure is berry_errc::unavailable.
    caf::replies_to<charge_atom, payment_request>::with<payment_result>,
    /// refunded (the key is the refund's own key; order_id names the charge).
    caf::replies_to<refund_atom, payment_request>::with<payment_result>,
    /// What the provider knows of a key: captured, declined, refunded,
    /// processing (an answer is on its way) or unknown (never seen).
    caf::replies_to<status_atom, std::string>::with<payment_result>,
    /// Internal: a delayed answer is due (tok_slow).
    caf::reacts_to<step_atom, std::string>>;

/// Berry's payment actor in front of the provider: retries transient errors
/// with the same key, and resolves a lost answer by asking the provider for
/// the status of the key, never by guessing.
using payment_actor = caf::typed_actor<
    caf::replies_to<charge_atom, payment_request>::with<payment_result>,
    caf::replies_to<refund_atom, payment_request>::with<payment_result>>;

/// The carts of all customers: spawns one cart actor per active customer on
/// demand (rebuilt from storage) and passivates it when idle.
using cart_manager_actor = caf::typed_actor<
    /// The customer's cart lines.
    caf::replies_to<caf::get_atom, std::string>::with<std::vector<cart_line>>,
    /// Sets a line's quantity (0 removes it): (user, product, qty).
    caf::replies_to<caf::put_atom, std::string, std::string,
                    int32_t>::with<std::vector<cart_line>>,
    /// Empties the customer's cart.
    caf::replies_to<caf::delete_atom,
                    std::string>::with<std::vector<cart_line>>>;

/// One customer's cart; journaled before it answers.
using cart_actor = caf::typed_actor<
    caf::replies_to<caf::get_atom>::with<std::vector<cart_line>>,
    caf::replies_to<caf::put_atom, std::string,
                    int32_t>::with<std::vector<cart_line>>,
    caf::replies_to<caf::delete_atom>::with<std::vector<cart_line>>>;

/// The catalog: owns products and categories, gathers availability from the
/// warehouses and publishes immutable snapshots for the edge.
using catalog_actor = caf::typed_actor<
    caf::reacts_to<avail_atom, availability_report>,
    caf::reacts_to<publish_atom>,
    /// The version of the latest published snapshot.
    caf::replies_to<caf::get_atom>::with<uint64_t>,
    /// Answers (with the snapshot version) once every warehouse has reported.
    caf::replies_to<ready_atom>::with<uint64_t>,
    /// What each warehouse last reported available of these products (as
    /// on_hand; warehouses that reported none left out): an order's first
    /// plan, in place of asking every warehouse. Refused (unavailable) until
    /// every warehouse has reported.
    caf::replies_to<avail_atom, caf::get_atom,
                    std::vector<std::string>>::with<std::vector<stock_level>>,
    /// Creates or replaces a product (admin); journaled, then published.
    caf::replies_to<product_atom, caf::put_atom, product>::with<product>>;

/// Live tracking: one topic per order, fanned out to the subscribers (one
/// small actor per WebSocket session).
using tracking_actor = caf::typed_actor<
    /// Sends the event to every subscriber of its order.
    caf::reacts_to<track_atom, tracking_event>,
    /// (order id, subscriber): the subscriber gets (track_atom,
    /// tracking_event) for that order until it unsubscribes or goes down.
    caf::reacts_to<caf::subscribe_atom, std::string, caf::actor>,
    caf::reacts_to<caf::unsubscribe_atom, std::string, caf::actor>,
    /// Subscribers now, over all orders.
    caf::replies_to<stats_atom>::with<int64_t>>;

/// One courier: moves along its route on a timer and tells the dispatcher
/// what happens (delivery_atom, delivery_event).
using courier_actor = caf::typed_actor<
    /// Takes the delivery (true), or refuses it (conflict) when busy.
    caf::replies_to<assign_atom, delivery_task>::with<bool>,
    /// Drops the delivery of the order (true) unless the parcel is already
    /// picked up (conflict); true also when it never carried it.
    caf::replies_to<cancel_atom, std::string>::with<bool>,
    caf::replies_to<caf::get_atom>::with<courier_status>,
    /// Off duty (false): drops its delivery, whatever its stage, and answers
    /// where it is; back on duty (true).
    caf::replies_to<online_atom, bool>::with<courier_status>,
    /// Internal: the movement timer.
    caf::reacts_to<step_atom>>;

/// The dispatcher of a city: packs paid orders, assigns the nearest free
/// courier, queues deliveries while every courier is busy, re-assigns when
/// a courier goes offline or crashes. Events go to the actor that sent the
/// delivery (the order), as (delivery_atom, delivery_event).
using dispatcher_actor = caf::typed_actor<
    /// Takes a delivery, or goes on with one after a restart (idempotent per
    /// order: asking again repeats its latest status to the new sender).
    caf::replies_to<dispatch_atom, delivery_task>::with<bool>,
    /// The same on behalf of `order` (its events go there): how a cluster
    /// node's dispatch front (actors/dispatch_front.hpp) hands a delivery on
    /// through the dispatch shard's gates, whose sender is not the order.
    caf::replies_to<dispatch_atom, delivery_task, caf::actor>::with<bool>,
    /// Withdraws the order's delivery before pickup (true); conflict once
    /// the courier has picked the parcel up.
    caf::replies_to<cancel_atom, std::string>::with<bool>,
    /// From the couriers: what happened to a delivery.
    caf::reacts_to<delivery_atom, delivery_event>,
    /// Every courier, by id.
    caf::replies_to<list_atom>::with<std::vector<courier_status>>,
    /// Takes a courier off duty (false) or back on (true).
    caf::replies_to<online_atom, std::string, bool>::with<courier_status>,
    /// Internal: the packing of an order is done.
    caf::reacts_to<step_atom, std::string>,
    /// Internal: start a crashed courier again.
    caf::reacts_to<restart_atom, std::string>>;

/// One live order: drives its checkout saga and later its delivery.
using order_actor = caf::typed_actor<
    caf::replies_to<caf::get_atom>::with<order_record>,
    /// Answers once checkout is over: paid (or later) or cancelled.
    caf::replies_to<wait_atom>::with<order_record>,
    /// cancelled, refunded, stock released; conflict once picked up.
    caf::replies_to<cancel_atom>::with<order_record>,
    /// returned, refunded, stock back on hand; conflict unless delivered.
    caf::replies_to<return_atom>::with<order_record>,
    /// From the dispatcher: the delivery moved on.
    caf::reacts_to<delivery_atom, delivery_event>,
    /// Internal: hand the delivery to the dispatcher again.
    caf::reacts_to<dispatch_atom>,
    /// Internal: run the next step of the saga.
    caf::reacts_to<step_atom>>;

/// All orders of a node: creates them (idempotent per user and key), hands
/// requests to the live order actors, and resumes unfinished orders at
/// start. Every lookup is checked against the caller: another customer's
/// order is not_found, exactly like an unknown id.
using order_manager_actor = caf::typed_actor<
    /// One answer per checkout: the order once paid or at the deadline, or
    /// the error that ended it (a repeated key: the same). Also key reuse,
    /// key in use (still running), validation, not_found, unavailable.
    caf::replies_to<checkout_atom, checkout_request>::with<order_record>,
    /// (user, order): answers once the order's checkout is over.
    caf::replies_to<wait_atom, std::string, std::string>::with<order_record>,
    caf::replies_to<caf::get_atom, std::string,
                    std::string>::with<order_record>,
    /// The user's orders, newest first.
    caf::replies_to<list_atom, std::string>::with<std::vector<order_record>>,
    caf::replies_to<cancel_atom, std::string, std::string>::with<order_record>,
    caf::replies_to<return_atom, std::string, std::string>::with<order_record>,
    /// Internal: start the actor of this order again from storage.
    caf::reacts_to<step_atom, std::string>>;

/// Accounts: registration, login checks with the failed-login limit, and
/// the admin account. Passwords are hashed and checked on the actor's own
/// bounded worker pool; when its queue is full, a request fails with
/// unavailable and (detail, seconds to wait) as context.
using accounts_actor = caf::typed_actor<
    /// A new customer account, journaled before the answer; conflict when
    /// the email is taken.
    caf::replies_to<register_atom, registration>::with<account_principal>,
    /// The account whose email and password match; unauthorized otherwise;
    /// rate_limited, with (detail, seconds to wait) as context, while this
    /// client has failed too often at this account.
    caf::replies_to<login_atom, credentials>::with<account_principal>,
    /// Creates the admin account, or makes it admin again with this
    /// password (its id stays; a new password revokes its older tokens);
    /// validation for an email or a password that is not one.
    caf::replies_to<admin_atom, credentials>::with<bool>,
    /// Signs a token out: journaled, then refused by the edge.
    caf::replies_to<logout_atom, token_revoked>::with<bool>>;

} // namespace berry
