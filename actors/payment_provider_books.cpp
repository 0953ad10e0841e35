// The built-in provider's books, pure: what to do with a charge or a
// refund given what is settled and what is processing, the outcome of a new
// try (by test token), and what the provider knows of a key. Tested without
// actors; actors/payment_provider.cpp is the actor that keeps them.

#include "actors/payment_provider.hpp"

#include <iterator>
#include <utility>

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

} // namespace berry
