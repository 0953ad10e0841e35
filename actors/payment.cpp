#include "actors/payment.hpp"

#include <unordered_map>
#include <vector>

#include <caf/all.hpp>

#include "actors/deadline_set.hpp"
#include "protocols/errors.hpp"

namespace berry {

payment_move after_status(payment_status status) {
  if (status == payment_status::captured || status == payment_status::refunded)
    return payment_move::answer;
  if (status == payment_status::declined)
    return payment_move::decline;
  if (status == payment_status::unknown)
    return payment_move::resend;
  return payment_move::poll;
}

std::chrono::milliseconds backoff_before(int attempt,
                                         std::chrono::milliseconds backoff) {
  int doublings = attempt < 2 ? 0 : std::min(attempt - 2, 16);
  return backoff * (1 << doublings);
}

namespace {

using promise = caf::typed_response_promise<payment_result>;

enum class phase { queued, sending, backing_off, resolving, polling };

/// One charge or refund this actor is working on: the only one for its key.
struct payment_job {
  payment_request req;
  bool refund = false;
  phase ph = phase::queued;
  int sends = 0;
  int polls = 0;
  std::vector<promise> waiting;
};

/// The payment actor plus its own timer messages: a job's pause, and the
/// deadline of the provider requests in flight.
using payment_impl =
    payment_actor::extend<caf::reacts_to<step_atom, std::string>,
                          caf::reacts_to<expire_atom>>;

struct payment_state {
  payment_init cfg;
  std::unordered_map<std::string, payment_job> jobs; ///< by key
  /// The provider requests in flight, under one timer.
  deadline_set deadlines;
  static inline const char* name = "payment";
};

using payment_self = payment_impl::stateful_pointer<payment_state>;

payment_job* job_of(payment_self self, const std::string& key) {
  auto i = self->state.jobs.find(key);
  return i == self->state.jobs.end() ? nullptr : &i->second;
}

bool charging(payment_self self, const std::string& order_id) {
  for (auto& [key, job] : self->state.jobs)
    if (!job.refund && job.req.order_id == order_id)
      return true;
  return false;
}

void send_request(payment_self self, const std::string& key);

/// Answers everyone waiting for the key; a refund queued behind this
/// order's charge goes out now.
void finish(payment_self self, const std::string& key, const payment_result& r,
            const caf::error& err) {
  auto job = job_of(self, key);
  if (job == nullptr)
    return;
  auto done = std::move(*job);
  self->state.jobs.erase(key);
  for (auto& rp : done.waiting)
    if (err)
      rp.deliver(err);
    else
      rp.deliver(r);
  if (done.refund)
    return;
  std::vector<std::string> queued;
  for (auto& [k, j] : self->state.jobs)
    if (j.ph == phase::queued && j.req.order_id == done.req.order_id)
      queued.push_back(k);
  for (auto& k : queued)
    send_request(self, k);
}

void fail(payment_self self, const std::string& key, caf::error err) {
  finish(self, key, {}, err);
}

/// The provider's word on the key is the answer.
void answer(payment_self self, const std::string& key,
            const payment_result& r) {
  if (r.status == payment_status::declined)
    fail(self, key,
         caf::make_error(berry_errc::payment_declined, "card declined"));
  else
    finish(self, key, r, {});
}

/// Waits `delay` in phase `ph`; the step message moves the job on.
void pause(payment_self self, const std::string& key, phase ph,
           std::chrono::milliseconds delay) {
  job_of(self, key)->ph = ph;
  self->delayed_send(self, delay, step_atom_v, key);
}

/// After a provider error, or when the provider never saw the request.
void retry_later(payment_self self, const std::string& key) {
  auto& cfg = self->state.cfg;
  auto job = job_of(self, key);
  if (job->sends >= cfg.max_attempts)
    return fail(self, key,
                caf::make_error(berry_errc::unavailable,
                                "payment provider unavailable"));
  pause(self, key, phase::backing_off,
        backoff_before(job->sends + 1, cfg.backoff));
}

/// The key is still processing at the provider (or the status was lost).
void poll_later(payment_self self, const std::string& key) {
  auto& cfg = self->state.cfg;
  if (job_of(self, key)->polls >= cfg.max_polls)
    return fail(
        self, key,
        caf::make_error(berry_errc::timeout, "payment still processing"));
  pause(self, key, phase::polling, cfg.poll_delay);
}

/// No answer in time: ask the provider what it knows, never guess.
void resolve(payment_self self, const std::string& key) {
  auto& cfg = self->state.cfg;
  auto job = job_of(self, key);
  job->ph = phase::resolving;
  ++job->polls;
  request_until<payment_result>(
      self, self->state.deadlines, cfg.step_timeout, cfg.provider,
      [=](const payment_result& r) {
        switch (after_status(r.status)) {
        case payment_move::answer:
        case payment_move::decline:
          return answer(self, key, r);
        case payment_move::resend:
          return retry_later(self, key);
        case payment_move::poll:
          return poll_later(self, key);
        }
      },
      [=](caf::error&) { poll_later(self, key); }, status_atom_v, key);
}

void on_send_error(payment_self self, const std::string& key, caf::error err) {
  if (err == caf::sec::request_timeout)
    resolve(self, key);
  else if (is_error(err, berry_errc::unavailable) ||
           err.category() != caf::atom("berry"))
    retry_later(self, key); // a provider error, or the provider is down
  else
    fail(self, key, std::move(err)); // conflict, validation: final
}

/// Sends the job's charge or refund: always the same key.
void send_request(payment_self self, const std::string& key) {
  auto& cfg = self->state.cfg;
  auto job = job_of(self, key);
  job->ph = phase::sending;
  ++job->sends;
  auto on_value = [=](const payment_result& r) { answer(self, key, r); };
  auto on_error = [=](caf::error& err) { on_send_error(self, key, err); };
  auto& deadlines = self->state.deadlines;
  if (job->refund)
    request_until<payment_result>(self, deadlines, cfg.step_timeout,
                                  cfg.provider, on_value, on_error,
                                  refund_atom_v, job->req);
  else
    request_until<payment_result>(self, deadlines, cfg.step_timeout,
                                  cfg.provider, on_value, on_error,
                                  charge_atom_v, job->req);
}

void on_step(payment_self self, const std::string& key) {
  auto job = job_of(self, key);
  if (job == nullptr)
    return;
  if (job->ph == phase::backing_off)
    send_request(self, key);
  else if (job->ph == phase::polling)
    resolve(self, key);
}

caf::result<payment_result> begin(payment_self self, const payment_request& req,
                                  bool refund) {
  if (req.key.empty())
    return caf::make_error(berry_errc::validation, "payment key required");
  if (auto job = job_of(self, req.key)) {
    // The same request again joins the one under way: one provider
    // request per key at a time.
    if (job->refund != refund || job->req.order_id != req.order_id ||
        job->req.amount != req.amount)
      return caf::make_error(berry_errc::conflict, "key reused");
    job->waiting.push_back(self->make_response_promise<payment_result>());
    return job->waiting.back();
  }
  auto& job = self->state.jobs[req.key];
  job.req = req;
  job.refund = refund;
  job.waiting.push_back(self->make_response_promise<payment_result>());
  auto rp = job.waiting.back();
  // A refund must not overtake its order's charge: the provider would say
  // "nothing to refund" while the charge may still be captured.
  if (!(refund && charging(self, req.order_id)))
    send_request(self, req.key);
  return rp;
}

//                    charge / refund (req)
//                             |
//   (a refund waits in QUEUED while this actor still works on the charge
//    of the same order; it is sent when that charge is over)
//                             v
//   +---------------------> SENDING ---- captured / refunded --> DONE
//   |                        |    |      declined -> payment_declined
//   |        provider error  |    |  timeout (answer lost or slow)
//   |      (tries left, else |    v
//   |       unavailable)     |  RESOLVING -- status captured / declined /
//   |                        v    |  |  ^     refunded --> DONE
//   +-- pause (x2) ---- BACKING_OFF  |  |
//                            ^    |  |  +-- pause --+
//                            |    |  |              |
//        unknown: it never   +----+  +-- processing, no answer --> POLLING
//        took effect (same key)         (too many polls: timeout)
//
// Every request for a key goes out only when the one before it is over, so
// the provider never sees two at once from here.
payment_impl::behavior_type payment(payment_self self, payment_init init) {
  self->state.cfg = std::move(init);
  return {
      [=](charge_atom, const payment_request& req) {
        return begin(self, req, false);
      },
      [=](refund_atom, const payment_request& req) {
        return begin(self, req, true);
      },
      [=](step_atom, const std::string& key) { on_step(self, key); },
      [=](expire_atom) { on_deadline_timer(self, self->state.deadlines); },
  };
}

} // namespace

payment_actor spawn_payment(caf::actor_system& sys, payment_init init) {
  return sys.spawn(payment, std::move(init));
}

} // namespace berry
