// Register and login: parse, ask the accounts actor, answer. Hashing and
// checking passwords, the failed-login limit and the writes all belong to
// the actor (actors/accounts.hpp); the edge only issues the token.

#include "http/routes_auth.hpp"

#include <nlohmann/json.hpp>

#include "actors/passwords.hpp"
#include "http/auth.hpp"
#include "http/bridge.hpp"
#include "http/json_body.hpp"
#include "http/json_mapping.hpp"
#include "http/routes.hpp"

namespace berry::http {

namespace {

std::string trimmed(std::string_view s) {
  auto blank = [](char c) { return c == ' ' || (c >= '\t' && c <= '\r'); };
  while (!s.empty() && blank(s.front()))
    s.remove_prefix(1);
  while (!s.empty() && blank(s.back()))
    s.remove_suffix(1);
  return std::string{s};
}

/// The answer of register and login: {user_id, token, role}.
response session_response(const route_env& env, const account_principal& who,
                          int status) {
  principal p{who.user_id, who.role, who.token_version};
  nlohmann::json body{{"user_id", who.user_id},
                      {"token", env.ctx.tokens->issue(p, unix_now())},
                      {"role", who.role}};
  return json_response(dump_json(body), status);
}

/// Asks the accounts actor with `xs...` and answers its account with a
/// fresh token and `status`, or its error.
template <class... Ts>
void ask_accounts(const route_env& env, const request& req, responder respond,
                  int status, Ts&&... xs) {
  if (!env.ctx.sys || !env.ctx.tokens)
    return fail(req, respond,
                make_problem(berry_errc::unavailable, "accounts unavailable"));
  ask<account_principal>(
      *env.ctx.sys, env.ctx.accounts, default_ask_timeout,
      [&env, respond, status](account_principal& who) {
        respond(session_response(env, who, status));
      },
      [respond, req](caf::error& err) {
        respond(error_response(err, req.request_id));
      },
      std::forward<Ts>(xs)...);
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
  if (auto why = password_problem(password))
    return invalid(std::move(*why));
  auto name = trimmed(j["name"].get<std::string>());
  if (name.empty())
    return invalid("name must not be empty");
  if (utf8_chars(name) > max_name_chars)
    return invalid("name must have at most 100 characters");
  return registration{std::move(*email), std::move(password), std::move(name),
                      req.client_gone};
}

outcome<credentials> parse_credentials(const request& req) {
  auto body = parse_json_body(req);
  if (!body)
    return body.error();
  auto& j = *body;
  for (auto field : {"email", "password"})
    if (!j.contains(field) || !j[field].is_string())
      return invalid(std::string{field} + " must be a string");
  // Checked before anything else: only a real email becomes a key of the
  // failed-login limit, and no password too long to hash is counted.
  auto email = normalize_email(j["email"].get<std::string>());
  if (!email)
    return invalid("email is not a valid email address");
  auto password = j["password"].get<std::string>();
  if (utf8_chars(password) > max_password_chars ||
      password.size() > max_password_bytes)
    return invalid("password must have at most 1024 characters");
  return credentials{std::move(*email), std::move(password), req.client,
                     req.client_gone};
}

void post_register(const route_env& env, const request& req,
                   responder respond) {
  auto reg = parse_registration(req);
  if (!reg)
    return fail(req, respond, reg.error());
  ask_accounts(env, req, std::move(respond), 201, register_atom_v,
               std::move(*reg));
}

void post_logout(const route_env& env, const request& req, responder respond) {
  auto who = authenticate(env, req);
  if (!who)
    return fail(req, respond, who.error());
  if (!env.ctx.sys)
    return fail(req, respond,
                make_problem(berry_errc::unavailable, "accounts unavailable"));
  ask<bool>(
      *env.ctx.sys, env.ctx.accounts, default_ask_timeout,
      [respond](bool) {
        response res;
        res.status = 204;
        res.content_type.clear();
        respond(std::move(res));
      },
      [respond, req](caf::error& err) {
        respond(error_response(err, req.request_id));
      },
      logout_atom_v,
      token_revoked{who->token_id, who->user_id, who->expires_at});
}

void post_login(const route_env& env, const request& req, responder respond) {
  auto cred = parse_credentials(req);
  if (!cred)
    return fail(req, respond, cred.error());
  ask_accounts(env, req, std::move(respond), 200, login_atom_v,
               std::move(*cred));
}

} // namespace berry::http
