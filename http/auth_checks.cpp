// The request side of http/auth.hpp: the checks every (auth) handler starts
// with. The cryptography is in auth.cpp.

#include "http/auth.hpp"

#include "actors/accounts_tokens.hpp"
#include "http/routes.hpp"

namespace berry::http {

namespace {

int64_t unix_now() {
  using namespace std::chrono;
  return duration_cast<seconds>(system_clock::now().time_since_epoch()).count();
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
    s.remove_suffix(1);
  return s;
}

problem unauthorized(std::string detail) {
  return make_problem(berry_errc::unauthorized, std::move(detail));
}

/// The token of `req`: its bearer credentials. (`?access_token=` is for the
/// tracking socket only, which turns it into credentials itself.)
outcome<std::string> find_token(const request& req) {
  auto header = trim(req.header_value("Authorization"));
  if (!header.empty()) {
    constexpr std::string_view scheme = "bearer ";
    if (header.size() <= scheme.size() ||
        !iequals(header.substr(0, scheme.size()), scheme))
      return unauthorized("the Authorization header is not a bearer token");
    return std::string{trim(header.substr(scheme.size()))};
  }
  return unauthorized("a bearer token is missing");
}

} // namespace

outcome<principal> authenticate(const route_env& env, const request& req) {
  if (!env.ctx.tokens)
    return make_problem(berry_errc::unavailable,
                        "authentication is not available");
  auto token = find_token(req);
  if (!token)
    return token.error();
  token_fault why;
  auto who = env.ctx.tokens->check(*token, unix_now(), why);
  if (!who && why == token_fault::expired)
    return unauthorized("the bearer token has expired");
  if (!who)
    return unauthorized("the bearer token is invalid");
  if (!env.ctx.sessions)
    return std::move(*who);
  switch (env.ctx.sessions->check(who->user_id, who->token_version,
                                  who->token_id)) {
  case token_verdict::good:
    return std::move(*who);
  case token_verdict::unknown_user:
    return unauthorized("the bearer token names no account");
  case token_verdict::superseded:
    return unauthorized("the bearer token was revoked by a password change");
  case token_verdict::signed_out:
    break;
  }
  return unauthorized("the bearer token was signed out");
}

outcome<principal> authorize(const route_env& env, const request& req,
                             std::string_view role) {
  auto who = authenticate(env, req);
  if (who && who->role != role)
    return make_problem(berry_errc::forbidden,
                        "this needs the " + std::string{role} + " role");
  return who;
}

} // namespace berry::http
