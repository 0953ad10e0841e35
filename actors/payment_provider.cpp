#include "actors/payment_provider.hpp"

#include <cinttypes>
#include <cstdio>
#include <memory>
#include <random>

#include <caf/all.hpp>

#include "actors/clock.hpp"

namespace berry {

namespace {

using row = provider_payment;

provider_plan go(provider_step step) {
  return {step, berry_errc::none, ""};
}

provider_plan refuse(berry_errc why, std::string detail) {
  return {provider_step::refuse, why, std::move(detail)};
}

bool valid(const payment_request& req) {
  return !req.key.empty() && !req.order_id.empty() && req.amount >= 0;
}

} // namespace

payment_result to_result(const row& r) {
  std::string detail;
  if (r.status == payment_status::declined)
    detail = r.token == "tok_decline" ? "card declined" : "unknown token";
  else if (r.status == payment_status::failed)
    detail = "provider error";
  return {r.key, r.payment_id, r.status, r.amount, std::move(detail)};
}

bool is_provider_error(const row& r) {
  return r.status == payment_status::failed;
}

provider_plan provider_books::plan_charge(const payment_request& req) const {
  if (!valid(req))
    return refuse(berry_errc::validation, "key, order and amount required");
  auto same = [&](const row& r) {
    return r.kind == payment_kind::charge && r.order_id == req.order_id &&
           r.amount == req.amount;
  };
  if (auto i = processing.find(req.key); i != processing.end())
    return same(i->second) ? go(provider_step::join)
                           : refuse(berry_errc::conflict, "key reused");
  if (auto i = settled.find(req.key); i != settled.end()) {
    if (!same(i->second))
      return refuse(berry_errc::conflict, "key reused");
    return go(is_provider_error(i->second) ? provider_step::start
                                           : provider_step::replay);
  }
  return go(provider_step::start);
}

provider_plan provider_books::plan_refund(const payment_request& req) const {
  if (!valid(req))
    return refuse(berry_errc::validation, "key, order and amount required");
  auto same = [&](const row& r) {
    return r.kind == payment_kind::refund && r.order_id == req.order_id;
  };
  if (auto i = processing.find(req.key); i != processing.end())
    return same(i->second) ? go(provider_step::join)
                           : refuse(berry_errc::conflict, "key reused");
  if (auto i = settled.find(req.key); i != settled.end())
    return same(i->second) ? go(provider_step::replay)
                           : refuse(berry_errc::conflict, "key reused");
  // A refund racing its charge waits for the charge's outcome: answering
  // "nothing to refund" now could leave a capture behind a cancel.
  if (charging(req.order_id))
    return go(provider_step::defer);
  auto charge = captured_charge(req.order_id);
  if (charge == nullptr)
    return refuse(berry_errc::conflict, "no captured charge to refund");
  auto refunded = [&](const auto& rows) {
    for (auto& [key, r] : rows)
      if (r.kind == payment_kind::refund && r.order_id == req.order_id)
        return true;
    return false;
  };
  if (refunded(settled) || refunded(processing))
    return refuse(berry_errc::conflict, "the charge is already refunded");
  if (req.amount != 0 && req.amount != charge->amount)
    return refuse(berry_errc::conflict, "refund amount differs from charge");
  return go(provider_step::start);
}

row provider_books::decide_charge(const payment_request& req,
                                  const std::string& new_id,
                                  int64_t now_ms) const {
  row r{req.key,    new_id,    req.order_id,         payment_kind::charge,
        req.amount, req.token, payment_status::none, 1,
        now_ms};
  if (auto i = settled.find(req.key); i != settled.end()) {
    r.payment_id = i->second.payment_id;
    r.attempts = i->second.attempts + 1;
    r.created_at_ms = i->second.created_at_ms;
  }
  if (req.token == "tok_ok" || req.token == "tok_slow")
    r.status = payment_status::captured;
  else if (req.token == "tok_flaky")
    r.status =
        r.attempts <= 2 ? payment_status::failed : payment_status::captured;
  else
    r.status =
        payment_status::declined; // tok_decline, and any token it does not know
  return r;
}

row provider_books::decide_refund(const payment_request& req,
                                  const std::string& new_id,
                                  int64_t now_ms) const {
  auto charge = captured_charge(req.order_id);
  return {req.key,
          new_id,
          req.order_id,
          payment_kind::refund,
          charge->amount,
          charge->token,
          payment_status::refunded,
          1,
          now_ms};
}

payment_result provider_books::status(const std::string& key) const {
  if (auto i = processing.find(key); i != processing.end())
    return {key, i->second.payment_id, payment_status::processing,
            i->second.amount, ""};
  auto i = settled.find(key);
  if (i == settled.end())
    return {key, "", payment_status::unknown, 0, ""};
  if (is_provider_error(i->second))
    return {key, i->second.payment_id, payment_status::unknown,
            i->second.amount, "the last try failed: provider error"};
  return to_result(i->second);
}

void provider_books::settle(const std::string& key) {
  auto i = processing.find(key);
  if (i == processing.end())
    return;
  settled[key] = std::move(i->second);
  processing.erase(i);
}

const row* provider_books::captured_charge(const std::string& order_id) const {
  for (auto& [key, r] : settled)
    if (r.kind == payment_kind::charge && r.order_id == order_id &&
        r.status == payment_status::captured)
      return &r;
  return nullptr;
}

bool provider_books::charging(const std::string& order_id) const {
  for (auto& [key, r] : processing)
    if (r.kind == payment_kind::charge && r.order_id == order_id)
      return true;
  return false;
}

bool provider_books::busy(const std::string& order_id) const {
  for (auto& [key, r] : processing)
    if (r.order_id == order_id)
      return true;
  return false;
}

void provider_books::remember(const row& r) {
  if (processing.count(r.key) == 0)
    settled.emplace(r.key, r);
}

void provider_books::forget_order(const std::string& order_id) {
  for (auto i = settled.begin(); i != settled.end();)
    i = i->second.order_id == order_id ? settled.erase(i) : std::next(i);
}

namespace {

using promise = caf::typed_response_promise<payment_result>;

/// Where an answer goes; a dropped one (the lost-reply hook) goes nowhere.
struct reply_to {
  promise rp;
  bool dropped = false;
};

/// An answer waiting out the latency, or a processing key to settle.
struct queued_answer {
  std::string settle_key;
  reply_to to;
  payment_result value;
  caf::error err;
};

struct provider_state {
  provider_books books;
  /// The requests waiting for each processing key.
  std::unordered_map<std::string, std::vector<reply_to>> waiting;
  /// Refunds waiting for their order's charge, by order.
  std::unordered_map<std::string,
                     std::vector<std::pair<payment_request, reply_to>>>
      deferred;
  /// Answers due after the latency, by ticket.
  std::unordered_map<std::string, queued_answer> outbox;
  /// Requests whose books could not be read (storage away), by ticket:
  /// tried again after a pause, never answered by a guess.
  std::unordered_map<std::string, std::pair<payment_request, reply_to>> rereads;
  uint64_t tickets = 0;
  provider_init cfg;
  std::unique_ptr<wall_clock> clock;
  std::mt19937_64 rng{std::random_device{}()};
  static inline const char* name = "payment_provider";
};

using self_ptr = provider_actor::stateful_pointer<provider_state>;

void deliver(reply_to& to, const payment_result& value, const caf::error& err) {
  if (to.dropped)
    return;
  if (err)
    to.rp.deliver(err);
  else
    to.rp.deliver(value);
}

void later(self_ptr self, queued_answer q, std::chrono::milliseconds delay) {
  auto& st = self->state;
  auto ticket = "t" + std::to_string(++st.tickets);
  st.outbox.emplace(ticket, std::move(q));
  // No latency (engine benchmarks): no timer either.
  if (delay.count() == 0)
    self->send(self, step_atom_v, std::move(ticket));
  else
    self->delayed_send(self, delay, step_atom_v, std::move(ticket));
}

void answer_later(self_ptr self, reply_to to, payment_result value) {
  later(self, {"", std::move(to), std::move(value), {}},
        self->state.cfg.latency);
}

void fail_later(self_ptr self, reply_to to, caf::error err) {
  later(self, {"", std::move(to), {}, std::move(err)}, self->state.cfg.latency);
}

std::string new_id(self_ptr self, const char* prefix) {
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016" PRIx64, self->state.rng());
  return prefix + std::string{hex};
}

void run_refund(self_ptr self, const payment_request& req, reply_to to);

/// Brings the stored rows of `order_id` and `key` back into the books when
/// the key is not there (a finder is set): a repeat, a refund, a status
/// question after the row left memory. False when storage failed.
bool recall(self_ptr self, const std::string& order_id,
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

/// With a finder, what is settled leaves memory once nothing of its order
/// is in flight: the books hold what is under way, not the history.
void tidy(self_ptr self, const std::string& order_id) {
  auto& st = self->state;
  if (st.cfg.find && !st.books.busy(order_id) &&
      st.deferred.count(order_id) == 0)
    st.books.forget_order(order_id);
}

/// Refunds that waited for this order's charge are planned again.
void release_deferred(self_ptr self, const std::string& order_id) {
  auto i = self->state.deferred.find(order_id);
  if (i == self->state.deferred.end())
    return;
  auto list = std::move(i->second);
  self->state.deferred.erase(i);
  for (auto& [req, to] : list)
    run_refund(self, req, std::move(to));
}

/// The key's answer is due: it settles and every waiting request hears it.
void settle(self_ptr self, const std::string& key) {
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

/// The try could not be recorded: nothing happened, the caller may retry.
void abort(self_ptr self, const std::string& key) {
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

/// Records the decided try through the journal, then waits out the latency
/// before it answers.
void start(self_ptr self, row r, reply_to to) {
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

/// Answers `to` with a provider error: the books could not be read.
/// The books could not be read (storage away, e.g. a failover): the
/// request is tried again after a pause (step_atom with an "r" ticket).
void read_later(self_ptr self, const payment_request& req, reply_to to,
                bool refund) {
  auto& st = self->state;
  auto ticket = (refund ? "rr" : "rc") + std::to_string(++st.tickets);
  st.rereads.emplace(ticket, std::make_pair(req, std::move(to)));
  self->delayed_send(self, std::chrono::milliseconds(200), step_atom_v,
                     std::move(ticket));
}

void run_charge(self_ptr self, const payment_request& req, reply_to to) {
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

void run_refund(self_ptr self, const payment_request& req, reply_to to) {
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

void on_due(self_ptr self, const std::string& ticket) {
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

reply_to accept(self_ptr self, const payment_request& req) {
  auto& hook = self->state.cfg.drop_reply;
  return {self->make_response_promise<payment_result>(), hook && hook(req)};
}

provider_actor::behavior_type provider(self_ptr self, provider_init init,
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
