// The request side of http/auth.hpp: the checks every (auth) handler starts
// with. The cryptography is in auth.cpp.

#include "http/auth.hpp"

#include "actors/accounts_tokens.hpp"
#include "http/query.hpp"
#include "http/routes.hpp"

namespace berry::http {

namespace {

problem unauthorized(std::string detail) {
  return make_problem(berry_errc::unauthorized, std::move(detail));
}

/// The token of `req`: its bearer credentials. (`?access_token=` is for the
/// tracking socket only, which turns it into credentials itself.)
outcome<std::string> find_token(const request& req) {
  auto header = trim_ows(req.header_value("Authorization"));
  if (!header.empty()) {
    constexpr std::string_view scheme = "bearer ";
    if (header.size() <= scheme.size() ||
        !iequals(header.substr(0, scheme.size()), scheme))
      return unauthorized("the Authorization header is not a bearer token");
    return std::string{trim_ows(header.substr(scheme.size()))};
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

std::optional<std::pair<std::string, int64_t>>
unknown_account(const route_env& env, const request& req) {
  if (!env.ctx.learn_account || !env.ctx.tokens || !env.ctx.sessions)
    return std::nullopt;
  std::string token;
  if (auto t = find_token(req))
    token = std::move(*t);
  else if (auto pairs = parse_query(req.query))
    for (auto& [k, v] : *pairs)
      if (k == "access_token")
        token = v;
  if (token.empty())
    return std::nullopt;
  // Only a token this node signed (every node holds the same key) may
  // cost a read of storage: a forged one is refused as always.
  token_fault why;
  auto who = env.ctx.tokens->check(token, unix_now(), why);
  if (!who || env.ctx.sessions->version_of(who->user_id) >= who->token_version)
    return std::nullopt;
  return std::make_pair(std::move(who->user_id), who->token_version);
}

void after_account_known(const route_env& env, const request& req,
                         std::function<void()> next,
                         std::function<void(response)> unavailable) {
  auto account = unknown_account(env, req);
  if (!account)
    return next();
  after_account_learned(env, std::move(*account), req.request_id,
                        std::move(next), std::move(unavailable));
}

void after_account_learned(const route_env& env,
                           std::pair<std::string, int64_t> account,
                           std::string request_id, std::function<void()> next,
                           std::function<void(response)> unavailable) {
  env.ctx.learn_account(
      account.first, account.second,
      [next = std::move(next), unavailable = std::move(unavailable),
       id = std::move(request_id)](bool available) {
        if (available)
          return next();
        unavailable(problem_response(
            make_problem(berry_errc::unavailable,
                         "the account could not be read; try again"),
            id));
      });
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
