// Register and login. Hashing and verifying passwords take tens of
// milliseconds of CPU and a few MiB on purpose, so both run on the read pool,
// never on an Asio thread; a new account is written through the journal.

#include "http/routes_auth.hpp"

#include <exception>
#include <memory>

#include <nlohmann/json.hpp>

#include "config/logging.hpp"
#include "http/auth.hpp"
#include "http/bridge.hpp"
#include "http/json_body.hpp"
#include "http/json_mapping.hpp"
#include "http/routes.hpp"
#include "storage/accounts_repo.hpp"
#include "storage/database.hpp"
#include "storage/read_connection.hpp"

namespace berry::http {

namespace {

problem invalid(std::string detail) {
  return make_problem(berry_errc::validation, std::move(detail));
}

// Code points of valid UTF-8 (parse_json_body has checked it).
size_t utf8_chars(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s)
    n += (c & 0xC0) != 0x80;
  return n;
}

std::string trimmed(std::string_view s) {
  auto blank = [](char c) { return c == ' ' || (c >= '\t' && c <= '\r'); };
  while (!s.empty() && blank(s.front()))
    s.remove_prefix(1);
  while (!s.empty() && blank(s.back()))
    s.remove_suffix(1);
  return std::string{s};
}

int64_t unix_now() {
  using namespace std::chrono;
  return duration_cast<seconds>(system_clock::now().time_since_epoch()).count();
}

/// The answer of register and login: {user_id, token, role}.
response session_response(const route_env& env, const principal& who,
                          int status) {
  nlohmann::json body{{"user_id", who.user_id},
                      {"token", env.ctx.tokens->issue(who, unix_now())},
                      {"role", who.role}};
  return json_response(dump_json(body), status);
}

void fail(const request& req, const responder& respond, const problem& p) {
  respond(problem_response(p, req.request_id));
}

response rate_limited(const request& req, int64_t retry_after) {
  auto res = problem_response(
      make_problem(berry_errc::rate_limited,
                   "too many failed logins for this account; try later"),
      req.request_id);
  res.set("Retry-After", std::to_string(retry_after));
  return res;
}

problem unauthorized() {
  return make_problem(berry_errc::unauthorized, "wrong email or password");
}

// Verified against when the email is unknown, so that a login takes as long
// whether or not the account exists.
const std::string& dummy_hash() {
  static const std::string hash = hash_password("no account has this one");
  return hash;
}

/// Writes `user` through the journal and answers 201, or 409 when its
/// email was taken meanwhile.
void create_account(const route_env& env, const request& req, responder respond,
                    user_account user) {
  principal who{user.id, user.role};
  db_batch batch{{storage::insert_user(user)}};
  ask<uint64_t>(
      *env.ctx.sys, env.ctx.journal, default_ask_timeout,
      [&env, respond, who](uint64_t&) {
        log::info("account registered", {{"user_id", who.user_id}});
        respond(session_response(env, who, 201));
      },
      [respond, rid = req.request_id](const problem& p) {
        respond(problem_response(
            p.status == 409
                ? make_problem(berry_errc::conflict, "email already registered")
                : p,
            rid));
      },
      write_atom_v, std::move(batch));
}

} // namespace

outcome<registration> parse_registration(const request& req) {
  auto body = parse_json_body(req);
  if (!body)
    return body.error();
  auto& j = *body;
  for (auto field : {"email", "password", "name"})
    if (!j.contains(field) || !j[field].is_string())
      return invalid(std::string{field} + " must be a string");
  auto email = normalize_email(j["email"].get<std::string>());
  if (!email)
    return invalid("email is not a valid email address");
  auto password = j["password"].get<std::string>();
  if (utf8_chars(password) < min_password_chars)
    return invalid("password must have at least 8 characters");
  if (password.size() > max_password_bytes)
    return invalid("password must have at most 1024 bytes");
  auto name = trimmed(j["name"].get<std::string>());
  if (name.empty())
    return invalid("name must not be empty");
  if (utf8_chars(name) > max_name_chars)
    return invalid("name must have at most 100 characters");
  return registration{std::move(*email), std::move(password), std::move(name)};
}

outcome<credentials> parse_credentials(const request& req) {
  auto body = parse_json_body(req);
  if (!body)
    return body.error();
  auto& j = *body;
  for (auto field : {"email", "password"})
    if (!j.contains(field) || !j[field].is_string())
      return invalid(std::string{field} + " must be a string");
  auto email = trimmed(j["email"].get<std::string>());
  for (auto& c : email)
    if (c >= 'A' && c <= 'Z')
      c = static_cast<char>(c - 'A' + 'a');
  return credentials{std::move(email), j["password"].get<std::string>()};
}

void post_register(const route_env& env, const request& req,
                   responder respond) {
  auto reg = parse_registration(req);
  if (!reg)
    return fail(req, respond, reg.error());
  if (!env.ctx.sys || !env.ctx.tokens)
    return fail(req, respond,
                make_problem(berry_errc::unavailable, "accounts unavailable"));
  env.post_read([&env, req, reg = std::move(*reg), respond]() mutable {
    user_account user;
    try {
      // Cheap early answer for the usual duplicate; the UNIQUE constraint
      // still decides when two registrations race.
      if (storage::find_user_by_email(storage::read_connection(env.ctx.db_path),
                                      reg.email))
        return fail(
            req, respond,
            make_problem(berry_errc::conflict, "email already registered"));
      user = {new_user_id(),
              reg.email,
              reg.name,
              "customer",
              hash_password(reg.password),
              unix_now() * 1000};
    } catch (const std::exception& e) {
      log::error("register failed",
                 {{"request_id", req.request_id}, {"error", e.what()}});
      return fail(req, respond,
                  make_problem(berry_errc::storage_failure,
                               "the account could not be created"));
    }
    create_account(env, req, std::move(respond), std::move(user));
  });
}

void post_login(const route_env& env, const request& req, responder respond) {
  auto cred = parse_credentials(req);
  if (!cred)
    return fail(req, respond, cred.error());
  if (!env.ctx.tokens || !env.ctx.logins)
    return fail(req, respond,
                make_problem(berry_errc::unavailable, "accounts unavailable"));
  if (auto wait = env.ctx.logins->retry_after(cred->email, unix_now()))
    return respond(rate_limited(req, wait));
  env.post_read([&env, req, cred = std::move(*cred), respond]() {
    auto& limiter = *env.ctx.logins;
    // Again here: logins of one account queued behind each other on the
    // pool must not all get past the check made before they waited.
    if (auto wait = limiter.retry_after(cred.email, unix_now()))
      return respond(rate_limited(req, wait));
    std::optional<user_account> user;
    bool ok = false;
    try {
      if (cred.password.size() <= max_password_bytes) {
        user = storage::find_user_by_email(
            storage::read_connection(env.ctx.db_path), cred.email);
        ok = verify_password(cred.password,
                             user ? user->password_hash : dummy_hash()) &&
             user;
      }
    } catch (const std::exception& e) {
      log::error("login failed",
                 {{"request_id", req.request_id}, {"error", e.what()}});
      return fail(req, respond,
                  make_problem(berry_errc::storage_failure,
                               "the login could not be checked"));
    }
    if (!ok) {
      limiter.record_failure(cred.email, unix_now());
      return fail(req, respond, unauthorized());
    }
    limiter.record_success(cred.email);
    respond(session_response(env, {user->id, user->role}, 200));
  });
}

} // namespace berry::http
