// The life of a payment provider's try: recorded through the journal,
// answered after the latency (every waiting request hears the same
// answer), or aborted when it could not be recorded; a charge that settles
// lets the refunds that waited for it be planned again.

#include "actors/payment_provider_impl.hpp"

#include <caf/all.hpp>

namespace berry::provider_impl {

namespace {

void later(provider_self self, queued_answer q,
           std::chrono::milliseconds delay) {
  auto& st = self->state;
  auto ticket = "t" + std::to_string(++st.tickets);
  st.outbox.emplace(ticket, std::move(q));
  // No latency (engine benchmarks): no timer either.
  if (delay.count() == 0)
    self->send(self, step_atom_v, std::move(ticket));
  else
    self->delayed_send(self, delay, step_atom_v, std::move(ticket));
}

/// Refunds that waited for this order's charge are planned again.
void release_deferred(provider_self self, const std::string& order_id) {
  auto i = self->state.deferred.find(order_id);
  if (i == self->state.deferred.end())
    return;
  auto list = std::move(i->second);
  self->state.deferred.erase(i);
  for (auto& [req, to] : list)
    run_refund(self, req, std::move(to));
}

/// The try could not be recorded: nothing happened, the caller may retry.
void abort(provider_self self, const std::string& key) {
  auto& st = self->state;
  auto i = st.books.processing.find(key);
  if (i == st.books.processing.end())
    return;
  auto r = i->second;
  st.books.processing.erase(i);
  auto waiters = std::move(st.waiting[key]);
  st.waiting.erase(key);
  auto err = caf::make_error(berry_errc::unavailable, "provider error");
  for (auto& to : waiters)
    deliver(to, {}, err);
  if (r.kind == payment_kind::charge)
    release_deferred(self, r.order_id);
}

} // namespace

void deliver(reply_to& to, const payment_result& value, const caf::error& err) {
  if (to.dropped)
    return;
  if (err)
    to.rp.deliver(err);
  else
    to.rp.deliver(value);
}

void answer_later(provider_self self, reply_to to, payment_result value) {
  later(self, {"", std::move(to), std::move(value), {}},
        self->state.cfg.latency);
}

void fail_later(provider_self self, reply_to to, caf::error err) {
  later(self, {"", std::move(to), {}, std::move(err)}, self->state.cfg.latency);
}

void settle(provider_self self, const std::string& key) {
  auto& st = self->state;
  auto i = st.books.processing.find(key);
  if (i == st.books.processing.end())
    return;
  auto r = i->second;
  st.books.settle(key);
  auto waiters = std::move(st.waiting[key]);
  st.waiting.erase(key);
  caf::error err;
  if (is_provider_error(r))
    err = caf::make_error(berry_errc::unavailable, "provider error");
  for (auto& to : waiters)
    deliver(to, to_result(r), err);
  if (r.kind == payment_kind::charge)
    release_deferred(self, r.order_id);
  tidy(self, r.order_id);
}

void start(provider_self self, row r, reply_to to) {
  auto& st = self->state;
  auto key = r.key;
  bool retry = st.books.settled.count(key) > 0;
  auto cmd = retry ? journal_command{payment_retried{key, r.status}}
                   : journal_command{payment_recorded{r}};
  auto delay = r.kind == payment_kind::charge && r.token == "tok_slow"
                   ? st.cfg.slow_latency
                   : st.cfg.latency;
  st.books.processing[key] = std::move(r);
  st.waiting[key].push_back(std::move(to));
  // No timeout: the journal answers every write, also when it stops.
  self->request(st.cfg.journal, caf::infinite, write_atom_v,
                journal_batch{{std::move(cmd)}})
      .then(
          [=](uint64_t) {
            later(self, {key, {}, {}, {}}, delay);
          },
          [=](caf::error&) { abort(self, key); });
}

} // namespace berry::provider_impl
