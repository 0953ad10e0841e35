// The payment provider actor: each charge, refund and status question is
// planned against its books (actors/payment_provider_books.cpp) and acted
// on; actors/payment_provider_tries.cpp records each new try and answers
// after the latency.

#include "actors/payment_provider.hpp"

#include <cinttypes>
#include <cstdio>
#include <memory>

#include <caf/all.hpp>

#include "actors/payment_provider_impl.hpp"

namespace berry {

namespace provider_impl {

namespace {

std::string new_id(provider_self self, const char* prefix) {
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016" PRIx64, self->state.rng());
  return prefix + std::string{hex};
}

/// Brings the stored rows of `order_id` and `key` back into the books when
/// the key is not there (a finder is set): a repeat, a refund, a status
/// question after the row left memory. False when storage failed.
bool recall(provider_self self, const std::string& order_id,
            const std::string& key) {
  auto& st = self->state;
  auto& b = st.books;
  if (!st.cfg.find || b.processing.count(key) > 0 || b.settled.count(key) > 0)
    return true;
  try {
    for (auto& r : st.cfg.find(order_id, key))
      b.remember(r);
    return true;
  } catch (const std::exception&) {
    return false;
  }
}

/// Answers `to` with a provider error: the books could not be read.
/// The books could not be read (storage away, e.g. a failover): the
/// request is tried again after a pause (step_atom with an "r" ticket).
void read_later(provider_self self, const payment_request& req, reply_to to,
                bool refund) {
  auto& st = self->state;
  auto ticket = (refund ? "rr" : "rc") + std::to_string(++st.tickets);
  st.rereads.emplace(ticket, std::make_pair(req, std::move(to)));
  self->delayed_send(self, std::chrono::milliseconds(200), step_atom_v,
                     std::move(ticket));
}

} // namespace

void tidy(provider_self self, const std::string& order_id) {
  auto& st = self->state;
  if (st.cfg.find && !st.books.busy(order_id) &&
      st.deferred.count(order_id) == 0)
    st.books.forget_order(order_id);
}

void run_refund(provider_self self, const payment_request& req, reply_to to) {
  auto& st = self->state;
  if (!recall(self, req.order_id, req.key))
    return read_later(self, req, std::move(to), true);
  auto plan = st.books.plan_refund(req);
  switch (plan.step) {
  case provider_step::refuse:
    fail_later(self, std::move(to), caf::make_error(plan.why, plan.detail));
    break;
  case provider_step::replay:
    answer_later(self, std::move(to), to_result(st.books.settled[req.key]));
    break;
  case provider_step::join:
    st.waiting[req.key].push_back(std::move(to));
    break;
  case provider_step::defer:
    st.deferred[req.order_id].emplace_back(req, std::move(to));
    break;
  case provider_step::start:
    start(self,
          st.books.decide_refund(req, new_id(self, "ref_"),
                                 (*st.clock)(self->clock().now())),
          std::move(to));
  }
  tidy(self, req.order_id);
}

} // namespace provider_impl

namespace {

using namespace provider_impl;

void run_charge(provider_self self, const payment_request& req, reply_to to) {
  auto& st = self->state;
  if (!recall(self, req.order_id, req.key))
    return read_later(self, req, std::move(to), false);
  auto plan = st.books.plan_charge(req);
  switch (plan.step) {
  case provider_step::refuse:
    fail_later(self, std::move(to), caf::make_error(plan.why, plan.detail));
    break;
  case provider_step::replay:
    answer_later(self, std::move(to), to_result(st.books.settled[req.key]));
    break;
  case provider_step::join:
  case provider_step::defer:
    st.waiting[req.key].push_back(std::move(to));
    break;
  case provider_step::start:
    start(self,
          st.books.decide_charge(req, new_id(self, "pay_"),
                                 (*st.clock)(self->clock().now())),
          std::move(to));
  }
  tidy(self, req.order_id);
}

void on_due(provider_self self, const std::string& ticket) {
  auto& st = self->state;
  if (auto r = st.rereads.find(ticket); r != st.rereads.end()) {
    auto [req, to] = std::move(r->second);
    st.rereads.erase(r);
    if (ticket.rfind("rr", 0) == 0)
      run_refund(self, req, std::move(to));
    else
      run_charge(self, req, std::move(to));
    return;
  }
  auto i = st.outbox.find(ticket);
  if (i == st.outbox.end())
    return;
  auto q = std::move(i->second);
  st.outbox.erase(i);
  if (!q.settle_key.empty())
    settle(self, q.settle_key);
  else
    deliver(q.to, q.value, q.err);
}

reply_to accept(provider_self self, const payment_request& req) {
  auto& hook = self->state.cfg.drop_reply;
  return {self->make_response_promise<payment_result>(), hook && hook(req)};
}

provider_actor::behavior_type provider(provider_self self, provider_init init,
                                       std::vector<row> rows) {
  auto& st = self->state;
  st.cfg = std::move(init);
  st.clock = std::make_unique<wall_clock>(self->clock().now());
  for (auto& r : rows)
    st.books.settled[r.key] = std::move(r);
  return {
      [=](charge_atom,
          const payment_request& req) -> caf::result<payment_result> {
        auto to = accept(self, req);
        auto rp = to.rp;
        run_charge(self, req, std::move(to));
        return rp;
      },
      [=](refund_atom,
          const payment_request& req) -> caf::result<payment_result> {
        auto to = accept(self, req);
        auto rp = to.rp;
        run_refund(self, req, std::move(to));
        return rp;
      },
      [=](status_atom, const std::string& key) -> caf::result<payment_result> {
        auto rp = self->make_response_promise<payment_result>();
        if (!recall(self, "", key)) {
          // Not known yet: the payment actor asks again later.
          answer_later(self, {rp, false},
                       {key, "", payment_status::processing, 0, ""});
          return rp;
        }
        auto status = self->state.books.status(key);
        if (auto i = self->state.books.settled.find(key);
            i != self->state.books.settled.end())
          tidy(self, i->second.order_id);
        answer_later(self, {rp, false}, std::move(status));
        return rp;
      },
      [=](step_atom, const std::string& ticket) { on_due(self, ticket); },
  };
}

} // namespace

provider_actor spawn_provider(caf::actor_system& sys, provider_init init) {
  // Read here, on the caller's thread: a provider that cannot read its books
  // must not start (it would charge keys it already charged).
  std::vector<row> rows;
  if (init.load)
    rows = init.load();
  return sys.spawn(provider, std::move(init), std::move(rows));
}

} // namespace berry
